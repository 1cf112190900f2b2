// The PV controller's claim side (upstream syncClaim, syncUnboundClaim, syncBoundClaim,
// provisionClaim): find or wait for a volume, ask a provisioner for one, complete bindings,
// and mark claims whose volume went away as Lost. Event reasons and messages are upstream's.

import { clone, type KObject } from '../../api/object.js';
import { ANN_SELECTED_NODE, claimClassName, claimClassUnset, claimKey, claimRefOf, defaultClass, hasAnnotation, phaseOf, specOf, str, volumeBoundToClaim, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from './volume-objects.js';
import { findBestMatchForClaim, volumeUnsuitableReason } from './volume-match.js';
import { isDelayBinding, storageClassFor, type BinderContext } from './binder-context.js';

export const MSG_NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';
export const MSG_WAIT_FIRST_CONSUMER = 'waiting for first consumer to be created before binding';

export function externalProvisioningMessage(provisioner: string): string {
  return `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
}

export async function syncClaim(ctx: BinderContext, claim: KObject): Promise<void> {
  if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) await syncUnboundClaim(ctx, claim);
  else await syncBoundClaim(ctx, claim);
}

/** Retroactive default class (GA in 1.28): an unbound claim with no class at all gets the default. */
async function assignDefaultClass(ctx: BinderContext, claim: KObject): Promise<boolean> {
  if (!claimClassUnset(claim)) return false;
  const cls = defaultClass(ctx.classes.list());
  if (!cls) return false;
  const next = clone(claim);
  next.spec = { ...specOf(next), storageClassName: cls.metadata.name };
  await ctx.writes.updateClaim(next);
  return true;
}

async function provisionClaim(ctx: BinderContext, claim: KObject): Promise<void> {
  const className = claimClassName(claim);
  const cls = storageClassFor(ctx, claim);
  if (!cls) {
    ctx.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    return;
  }
  const provisioner = str(cls.provisioner);
  // Names under kubernetes.io/ are in-tree plugins; ordinal has none that provision.
  if (provisioner.startsWith('kubernetes.io/')) {
    ctx.recorder.event(claim, 'Warning', 'ProvisioningFailed', 'no provisionable volume plugin matched');
    return;
  }
  const annotated = await ctx.writes.setClaimProvisioner(claim, provisioner);
  ctx.recorder.event(annotated, 'Normal', 'ExternalProvisioning', externalProvisioningMessage(provisioner));
}

async function syncUnboundClaim(ctx: BinderContext, claim: KObject): Promise<void> {
  const volumeName = str(specOf(claim).volumeName);
  if (!volumeName) {
    const delay = isDelayBinding(ctx, claim);
    const pv = findBestMatchForClaim(claim, ctx.volumes.list(), delay);
    if (pv) {
      await ctx.writes.bind(pv, claim);
      return;
    }
    if (await assignDefaultClass(ctx, claim)) return;
    const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (delay && !selected) {
      ctx.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', MSG_WAIT_FIRST_CONSUMER);
    } else if (claimClassName(claim) !== '') {
      await provisionClaim(ctx, claim);
      return;
    } else {
      ctx.recorder.event(claim, 'Normal', 'FailedBinding', MSG_NO_CLASS);
    }
    await ctx.writes.claimStatus(claim, 'Pending', undefined);
    return;
  }

  // The user named a volume.
  const pv = ctx.volumes.get(volumeName);
  if (!pv) {
    await ctx.writes.claimStatus(claim, 'Pending', undefined);
    return;
  }
  if (!claimRefOf(pv)) {
    const why = volumeUnsuitableReason(pv, claim);
    if (why) {
      ctx.recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
      await ctx.writes.claimStatus(claim, 'Pending', undefined);
      return;
    }
    await ctx.writes.bind(pv, claim);
    return;
  }
  if (volumeBoundToClaim(pv, claim)) {
    await ctx.writes.bind(pv, claim);
    return;
  }
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
    // Pre-bound by the user to a volume someone else holds: wait.
    await ctx.writes.claimStatus(claim, 'Pending', undefined);
    return;
  }
  throw new Error(`Invalid binding of claim "${claimKey(claim)}" to volume "${volumeName}": volume already claimed by "${claimRefOf(pv)?.namespace}/${claimRefOf(pv)?.name}"`);
}

async function syncBoundClaim(ctx: BinderContext, claim: KObject): Promise<void> {
  const volumeName = str(specOf(claim).volumeName);
  if (!volumeName) {
    await ctx.writes.claimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return;
  }
  const pv = ctx.volumes.get(volumeName);
  if (!pv) {
    await ctx.writes.claimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    return;
  }
  const ref = claimRefOf(pv);
  if (!ref || ref.uid === claim.metadata.uid) {
    // Unbound volume (or our own write not yet seen), or all is well: bind() writes only what differs.
    await ctx.writes.bind(pv, claim);
    return;
  }
  await ctx.writes.claimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

/** Claims worth another look when a volume becomes Available: the unbound, Pending ones. */
export function pendingClaimKeys(claims: readonly KObject[]): string[] {
  return claims.filter((c) => !hasAnnotation(c, ANN_BIND_COMPLETED) && phaseOf(c) !== 'Bound' && !c.metadata.deletionTimestamp).map(claimKey);
}
