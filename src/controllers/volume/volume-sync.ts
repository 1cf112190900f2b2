// The PV controller's volume side (upstream syncVolume and reclaimVolume): phases Available,
// Bound and Released; a released volume is retained, recycled (emptied, then Available again)
// or deleted. Dynamically provisioned volumes are deleted by their provisioner, which watches
// for Released volumes whose provisioned-by annotation names it; here only static hostPath
// volumes below the reclaim root have a deleter.

import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, claimRefOf, claimRefKey, hasAnnotation, isTerminalPod, phaseOf, podClaimNames, reclaimPolicy, specOf, str } from './volume-objects.js';
import { PVCS, PVS } from './binder-writes.js';
import type { BinderContext } from './binder-context.js';
import { deleteStaticVolume, recycleStaticVolume } from './static-reclaim.js';

/** The claim a volume's claimRef names, if it still exists with the same UID (informer, then a live read). */
async function boundClaim(ctx: BinderContext, pv: KObject, live: boolean): Promise<KObject | undefined> {
  const ref = claimRefOf(pv)!;
  let claim = ctx.claims.get(claimRefKey(ref));
  if (!claim && live) {
    try {
      claim = await ctx.client.get(PVCS, ref.namespace, ref.name ?? '');
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  if (claim && claim.metadata.uid !== ref.uid) return undefined;
  return claim;
}

export async function syncVolume(ctx: BinderContext, pv: KObject): Promise<void> {
  const ref = claimRefOf(pv);
  if (!ref || !ref.uid) {
    // Unused, or reserved for a claim that has not bound yet (the claim's sync does that).
    await ctx.writes.volumePhase(pv, 'Available');
    return;
  }
  // A Bound volume is released only after the API server confirms its claim is gone.
  const claim = await boundClaim(ctx, pv, phaseOf(pv) === 'Bound');
  if (!claim) {
    let vol = pv;
    if (phaseOf(pv) !== 'Released' && phaseOf(pv) !== 'Failed') vol = await ctx.writes.volumePhase(pv, 'Released');
    await reclaimVolume(ctx, vol);
    return;
  }
  const claimVolume = str(specOf(claim).volumeName);
  if (!claimVolume) {
    // Provisioned or pre-bound, the claim not yet pointing back: the claim's sync binds it.
    ctx.enqueueClaim(claimRefKey(ref));
    return;
  }
  if (claimVolume === pv.metadata.name) {
    await ctx.writes.volumePhase(pv, 'Bound');
    return;
  }
  // The claim is bound to another volume.
  if (hasAnnotation(pv, ANN_DYNAMICALLY_PROVISIONED) && reclaimPolicy(pv) === 'Delete') {
    let vol = pv;
    if (phaseOf(pv) !== 'Released' && phaseOf(pv) !== 'Failed') vol = await ctx.writes.volumePhase(pv, 'Released');
    await reclaimVolume(ctx, vol);
  } else if (hasAnnotation(pv, ANN_BOUND_BY_CONTROLLER)) {
    await ctx.writes.unbindVolume(pv);
  }
}

/** Pods (not finished) in the claim's namespace that use the claim the volume was bound to. */
function podsUsingVolume(ctx: BinderContext, pv: KObject): string[] {
  const ref = claimRefOf(pv);
  if (!ref) return [];
  return ctx.pods
    .listNamespace(ref.namespace ?? '')
    .filter((p) => !isTerminalPod(p) && podClaimNames(p).includes(ref.name ?? ''))
    .map((p) => p.metadata.name ?? '');
}

/** Whether the volume still needs reclaiming: bound to a claim that no longer exists. */
async function stillReleased(ctx: BinderContext, name: string): Promise<KObject | undefined> {
  let fresh: KObject;
  try {
    fresh = await ctx.client.get(PVS, undefined, name);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
  const ref = claimRefOf(fresh);
  if (!ref || !ref.uid) return undefined;
  if (phaseOf(fresh) !== 'Released' && phaseOf(fresh) !== 'Failed') return undefined;
  return (await boundClaim(ctx, fresh, true)) ? undefined : ctx.volumes.remember(fresh);
}

async function recycle(ctx: BinderContext, pv: KObject): Promise<void> {
  const vol = await stillReleased(ctx, pv.metadata.name ?? '');
  if (!vol) return;
  const users = podsUsingVolume(ctx, vol);
  if (users.length) {
    ctx.recorder.event(vol, 'Warning', 'VolumeFailedRecycle', `Volume is used by pods: ${users.join(',')}`);
    return;
  }
  const result = await recycleStaticVolume(vol, ctx.roots);
  if (result === 'no-plugin') {
    await ctx.writes.volumePhaseWithEvent(vol, 'Failed', 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
    return;
  }
  if (!result.done) {
    await ctx.writes.volumePhaseWithEvent(vol, 'Failed', 'Warning', 'VolumeFailedRecycle', `Recycle failed: ${result.error}`);
    return;
  }
  ctx.recorder.event(vol, 'Normal', 'VolumeRecycled', 'Volume recycled');
  await ctx.writes.unbindVolume(vol);
}

async function deleteVolume(ctx: BinderContext, pv: KObject): Promise<void> {
  // External provisioners delete what they provisioned.
  if (hasAnnotation(pv, ANN_DYNAMICALLY_PROVISIONED) && !str(pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]).startsWith('kubernetes.io/')) return;
  const vol = await stillReleased(ctx, pv.metadata.name ?? '');
  if (!vol) return;
  const result = await deleteStaticVolume(vol, ctx.roots);
  if (!result.done) {
    await ctx.writes.volumePhaseWithEvent(vol, 'Failed', 'Warning', 'VolumeFailedDelete', result.error);
    return;
  }
  try {
    await ctx.client.delete(PVS, undefined, vol.metadata.name ?? '', { preconditions: { uid: vol.metadata.uid } });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

async function reclaimVolume(ctx: BinderContext, pv: KObject): Promise<void> {
  switch (reclaimPolicy(pv)) {
    case 'Retain':
      return;
    case 'Recycle':
      return recycle(ctx, pv);
    case 'Delete':
      return deleteVolume(ctx, pv);
    default:
      await ctx.writes.volumePhaseWithEvent(pv, 'Failed', 'Warning', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
  }
}
