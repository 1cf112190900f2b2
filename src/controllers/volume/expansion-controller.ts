// Volume expansion for directory volumes (upstream's expand controller handing the claim to an
// external resizer, whose reasons and texts these are). When a Bound claim of a class with
// `allowVolumeExpansion: true` asks for more than its status capacity, the PV's capacity is
// raised, then the claim's status capacity. A directory has no size to grow, so no
// FileSystemResizePending step follows: the new size is recorded, never enforced.

import { compareQuantities } from '../../api/quantity.js';
import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { objectKey } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { isConflict, runKeyedLoop } from '../keyed-loop.js';
import { PVCS, PVS } from './binder-writes.js';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  annotation,
  claimClassName,
  claimRequest,
  claimRequestString,
  claimStatusCapacity,
  phaseOf,
  specOf,
  statusOf,
  str,
  volumeCapacity,
} from './volume-objects.js';

const CLASSES = mustFindResource('storage.k8s.io', 'storageclasses');

/** The claim's request when it exceeds what its status records, else undefined. */
export function pendingExpansion(claim: KObject): string | undefined {
  if (phaseOf(claim) !== 'Bound') return undefined;
  const have = claimStatusCapacity(claim);
  const want = claimRequestString(claim);
  if (!have || want === undefined) return undefined;
  return compareQuantities(claimRequest(claim), have) > 0 ? want : undefined;
}

function isDirectoryVolume(pv: KObject): boolean {
  const s = specOf(pv);
  return isPlainObject(s.nfs) || isPlainObject(s.hostPath);
}

export function startExpansionController(ctx: ControllerContext): RunningController {
  const claims = ctx.informers.forResource(PVCS);
  const volumes = ctx.informers.forResource(PVS);
  const classes = ctx.informers.forResource(CLASSES);
  const queue = new WorkQueue<string>();
  claims.addEventHandler({
    onAdd: (c) => pendingExpansion(c) && queue.add(objectKey(c)),
    onUpdate: (_o, c) => pendingExpansion(c) && queue.add(objectKey(c)),
  });

  const sync = async (key: string) => {
    const claim = claims.lister.get(key);
    const want = claim && pendingExpansion(claim);
    if (!claim || !want) return;
    const cls = classes.lister.get(claimClassName(claim));
    if (!cls || cls.allowVolumeExpansion !== true) return;
    const pv = volumes.lister.get(str(specOf(claim).volumeName));
    if (!pv || !isDirectoryVolume(pv)) return;
    const events = ctx.events.recorderFor(`external-resizer ${annotation(pv, ANN_DYNAMICALLY_PROVISIONED) ?? str(cls.provisioner)}`);
    if (compareQuantities(volumeCapacity(pv), claimRequest(claim)) < 0) {
      events.event(claim, 'Normal', 'Resizing', `External resizer is resizing volume ${pv.metadata.name}`);
      const next = clone(pv);
      next.spec = { ...specOf(pv), capacity: { ...(isPlainObject(specOf(pv).capacity) ? specOf(pv).capacity as object : {}), storage: want } };
      await ctx.client.update(PVS, undefined, next);
    }
    const grown = clone(claim);
    const st = statusOf(claim);
    grown.status = { ...st, capacity: { ...(isPlainObject(st.capacity) ? st.capacity : {}), storage: want } };
    await ctx.client.updateStatus(PVCS, claim.metadata.namespace, grown);
    events.event(claim, 'Normal', 'VolumeResizeSuccessful', 'Resize volume succeeded');
  };

  return runKeyedLoop({ ctx, queue, informers: [claims, volumes, classes], sync, describe: (key) => `volume expansion ${key}`, quiet: isConflict });
}
