// The PersistentVolume controller (upstream pkg/controller/volume/persistentvolume): one
// worker for claims and one for volumes (syncClaim is not reentrant: two at once could bind
// one volume twice), fed by the PV, claim and class informers and a periodic resync
// (upstream's --pvclaimbinder-sync-period, 15 s). When a volume becomes Available the pending
// claims are looked at again at once rather than at the next resync.

import type { KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { objectKey, type DeletedFinalStateUnknown } from '../../client/informer-types.js';
import type { ControllerContext, RunningController } from '../context.js';
import { isConflict, runKeyedLoop } from '../keyed-loop.js';
import { BinderWrites, PVCS, PVS } from './binder-writes.js';
import { PV_CONTROLLER_COMPONENT, type BinderContext } from './binder-context.js';
import { pendingClaimKeys, syncClaim } from './claim-sync.js';
import { FreshCache } from './fresh-cache.js';
import { syncVolume } from './volume-sync.js';
import { phaseOf, specOf, str } from './volume-objects.js';
import { resolveVolumeOptions } from './volume-options.js';
import { WorkQueue } from '../../client/work-queue.js';

const CLASSES = mustFindResource('storage.k8s.io', 'storageclasses');
const PODS = mustFindResource('', 'pods');

function unwrap(o: KObject | DeletedFinalStateUnknown): KObject {
  return 'obj' in o && 'key' in o && !('metadata' in o) ? (o as DeletedFinalStateUnknown).obj : (o as KObject);
}

export function startPersistentVolumeController(ctx: ControllerContext): RunningController {
  const opts = resolveVolumeOptions(ctx.options);
  const volumeInformer = ctx.informers.forResource(PVS);
  const claimInformer = ctx.informers.forResource(PVCS);
  const classInformer = ctx.informers.forResource(CLASSES);
  const podInformer = ctx.informers.forResource(PODS);
  const claimQueue = new WorkQueue<string>();
  const volumeQueue = new WorkQueue<string>();
  const volumes = new FreshCache(volumeInformer.lister);
  const claims = new FreshCache(claimInformer.lister);
  const recorder = ctx.events.recorderFor(PV_CONTROLLER_COMPONENT);
  const binder: BinderContext = {
    client: ctx.client,
    volumes,
    claims,
    classes: classInformer.lister,
    pods: podInformer.lister,
    writes: new BinderWrites(ctx.client, volumes, claims, recorder),
    recorder,
    roots: { dataDir: opts.dataDir, hostPathReclaimRoot: opts.hostPathReclaimRoot },
    enqueueClaim: (key) => claimQueue.add(key),
  };

  volumeInformer.addEventHandler({
    onAdd: (pv) => volumeQueue.add(objectKey(pv)),
    onUpdate: (old, pv) => {
      volumeQueue.add(objectKey(pv));
      if (phaseOf(pv) === 'Available' && phaseOf(old) !== 'Available') for (const k of pendingClaimKeys(claims.list())) claimQueue.add(k);
    },
    onDelete: (o) => {
      const pv = unwrap(o);
      volumes.forget(objectKey(pv));
      // A claim bound to it is now Lost.
      const ref = specOf(pv).claimRef;
      if (ref && typeof ref === 'object') claimQueue.add(`${str((ref as Record<string, unknown>).namespace)}/${str((ref as Record<string, unknown>).name)}`);
    },
  });
  claimInformer.addEventHandler({
    onAdd: (c) => claimQueue.add(objectKey(c)),
    onUpdate: (_old, c) => claimQueue.add(objectKey(c)),
    onDelete: (o) => {
      const c = unwrap(o);
      claims.forget(objectKey(c));
      // Its volume is released now rather than at the next resync.
      const vn = str(specOf(c).volumeName);
      if (vn) volumeQueue.add(vn);
    },
  });
  // A class appearing can unblock claims that waited for it.
  classInformer.addEventHandler({ onAdd: () => pendingClaimKeys(claims.list()).forEach((k) => claimQueue.add(k)) });

  let resync: NodeJS.Timeout | undefined;
  const informers = [volumeInformer, claimInformer, classInformer, podInformer];
  const loops = [
    runKeyedLoop({
      ctx,
      queue: claimQueue,
      informers,
      sync: async (key) => {
        const claim = claims.get(key);
        if (claim) await syncClaim(binder, claim);
      },
      describe: (key) => `persistentvolume-controller: claim ${key}`,
      quiet: isConflict,
      onSynced: () => {
        resync = setInterval(() => {
          for (const c of claimInformer.lister.list()) claimQueue.add(objectKey(c));
          for (const v of volumeInformer.lister.list()) volumeQueue.add(objectKey(v));
        }, opts.resyncMs);
        resync.unref();
      },
    }),
    runKeyedLoop({
      ctx,
      queue: volumeQueue,
      informers,
      sync: async (key) => {
        const pv = volumes.get(key);
        if (pv) await syncVolume(binder, pv);
      },
      describe: (key) => `persistentvolume-controller: volume ${key}`,
      quiet: isConflict,
    }),
  ];

  return {
    async stop() {
      if (resync) clearInterval(resync);
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
