// The storage-object-in-use protection controllers (upstream pvcprotection and pvprotection):
// every claim carries `kubernetes.io/pvc-protection` and every PV `kubernetes.io/pv-protection`
// (added here if the API server did not). A deleted claim keeps its finalizer while a scheduled,
// unfinished pod uses it; a deleted PV keeps its finalizer while it is Bound.

import { StatusError } from '../../api/errors.js';
import { clone, type KObject } from '../../api/object.js';
import { mustFindResource, type ResourceInfo } from '../../api/resources.js';
import { objectKey, type DeletedFinalStateUnknown } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { isConflict, runKeyedLoop } from '../keyed-loop.js';
import { PVCS, PVS } from './binder-writes.js';
import { PVC_PROTECTION_FINALIZER, PV_PROTECTION_FINALIZER, isTerminalPod, phaseOf, podClaimNames, specOf, str } from './volume-objects.js';

const PODS = mustFindResource('', 'pods');

function unwrap(o: KObject | DeletedFinalStateUnknown): KObject {
  return 'metadata' in o ? (o as KObject) : (o as DeletedFinalStateUnknown).obj;
}

function withFinalizer(o: KObject, finalizer: string, present: boolean): KObject {
  const next = clone(o);
  const rest = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  next.metadata.finalizers = present ? [...rest, finalizer] : rest;
  return next;
}

/** Adds the finalizer to live objects, or removes it from deleted ones once `releasable` says so. */
async function syncFinalizer(ctx: ControllerContext, res: ResourceInfo, obj: KObject, finalizer: string, releasable: () => Promise<boolean>): Promise<void> {
  const has = (obj.metadata.finalizers ?? []).includes(finalizer);
  let next: KObject | undefined;
  if (!obj.metadata.deletionTimestamp && !has) next = withFinalizer(obj, finalizer, true);
  else if (obj.metadata.deletionTimestamp && has && (await releasable())) next = withFinalizer(obj, finalizer, false);
  if (!next) return;
  try {
    await ctx.client.update(res, obj.metadata.namespace, next);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

function podUsesClaim(pod: KObject, claimName: string): boolean {
  // Upstream counts scheduled pods only: an unscheduled one cannot start with a deleted claim.
  return str(specOf(pod).nodeName) !== '' && !isTerminalPod(pod) && podClaimNames(pod).includes(claimName);
}

export function startPVCProtectionController(ctx: ControllerContext): RunningController {
  const claims = ctx.informers.forResource(PVCS);
  const pods = ctx.informers.forResource(PODS);
  const queue = new WorkQueue<string>();
  claims.addEventHandler({ onAdd: (c) => queue.add(objectKey(c)), onUpdate: (_o, c) => queue.add(objectKey(c)) });
  const podChanged = (pod: KObject) => {
    for (const n of podClaimNames(pod)) queue.add(`${pod.metadata.namespace ?? ''}/${n}`);
  };
  pods.addEventHandler({ onAdd: podChanged, onUpdate: (_o, p) => podChanged(p), onDelete: (o) => podChanged(unwrap(o)) });

  const inUse = async (claim: KObject): Promise<boolean> => {
    const ns = claim.metadata.namespace ?? '';
    const name = claim.metadata.name ?? '';
    if (pods.lister.listNamespace(ns).some((p) => podUsesClaim(p, name))) return true;
    // The informer may lag behind a pod just created: ask the API server before letting go.
    const live = await ctx.client.list(PODS, ns);
    return live.items.some((p) => podUsesClaim(p, name));
  };
  return runKeyedLoop({
    ctx,
    queue,
    informers: [claims, pods],
    sync: async (key) => {
      const claim = claims.lister.get(key);
      if (claim) await syncFinalizer(ctx, PVCS, claim, PVC_PROTECTION_FINALIZER, async () => !(await inUse(claim)));
    },
    describe: (key) => `pvc-protection-controller ${key}`,
    quiet: isConflict,
  });
}

export function startPVProtectionController(ctx: ControllerContext): RunningController {
  const volumes = ctx.informers.forResource(PVS);
  const queue = new WorkQueue<string>();
  volumes.addEventHandler({ onAdd: (v) => queue.add(objectKey(v)), onUpdate: (_o, v) => queue.add(objectKey(v)) });
  return runKeyedLoop({
    ctx,
    queue,
    informers: [volumes],
    sync: async (key) => {
      const pv = volumes.lister.get(key);
      if (pv) await syncFinalizer(ctx, PVS, pv, PV_PROTECTION_FINALIZER, async () => phaseOf(pv) !== 'Bound');
    },
    describe: (key) => `pv-protection-controller ${key}`,
    quiet: isConflict,
  });
}
