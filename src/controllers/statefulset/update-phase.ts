// The RollingUpdate phase of a sync, run once every replica is in place: delete pods that
// are not on the update revision, from the highest ordinal down to the partition, so that
// the next syncs recreate them from the update revision. Two variants:
// - default (1.33, and MaxUnavailableStatefulSet off): one pod at a time, waiting for each
//   updated pod to be available (minReadySeconds honoured, #130909);
// - maxUnavailable option on (KEP-961): up to maxUnavailable pods down at once, counting
//   every unavailable replica (below the partition and not-yet-created ones too); for
//   Parallel, old-revision pods that are already broken are replaced first and do not eat
//   the budget (#137666).

import type { KObject } from '../../api/object.js';
import type { StatefulPodControl } from './pod-control.js';
import { isNotFound } from './errors.js';
import { isCreated, isUnavailable, isTerminating } from './pod-health.js';
import { podRevision } from './pod-identity.js';
import { maxUnavailableCount } from './max-unavailable.js';
import type { ComputedStatus } from './status.js';
import { allowsBurst, minReadySeconds, partitionOf, replicasOf, rollingUpdateOf } from './spec.js';

export interface UpdatePhaseInput {
  set: KObject;
  replicas: KObject[];
  updateRevision: string;
  status: ComputedStatus;
  podControl: StatefulPodControl;
  now: Date;
}

function isOutdated(pod: KObject, updateRevision: string): boolean {
  return podRevision(pod) !== updateRevision && !isTerminating(pod);
}

async function deleteForUpdate(input: UpdatePhaseInput, pod: KObject): Promise<void> {
  try {
    await input.podControl.deleteStatefulPod(input.set, pod);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  input.status.currentReplicas--;
}

/** One pod at a time, highest ordinal first; wait while the pod above is unavailable. */
export async function rollingUpdateOneAtATime(input: UpdatePhaseInput): Promise<void> {
  const { set, replicas, updateRevision } = input;
  const mrs = minReadySeconds(set);
  for (let target = replicas.length - 1; target >= partitionOf(set); target--) {
    const pod = replicas[target]!;
    if (isOutdated(pod, updateRevision)) {
      await deleteForUpdate(input, pod);
      return;
    }
    if (isUnavailable(pod, mrs, input.now)) return;
  }
}

/** Up to maxUnavailable replicas down at a time. */
export async function rollingUpdateWithMaxUnavailable(input: UpdatePhaseInput): Promise<void> {
  const { set, replicas, updateRevision, now } = input;
  const mrs = minReadySeconds(set);
  const updateMin = partitionOf(set);
  const maxUnavailable = maxUnavailableCount(rollingUpdateOf(set)?.maxUnavailable, replicasOf(set));

  let phase1 = 0;
  if (allowsBurst(set)) {
    // Old, already-unavailable pods: replacing them costs no availability, so they go
    // first (still at most maxUnavailable per sync) and are left out of the count below.
    for (let target = replicas.length - 1; target >= updateMin && phase1 < maxUnavailable; target--) {
      const pod = replicas[target]!;
      if (isCreated(pod) && isOutdated(pod, updateRevision) && isUnavailable(pod, mrs, now)) {
        await deleteForUpdate(input, pod);
        phase1++;
      }
    }
  }

  let unavailable = phase1;
  for (const pod of replicas) {
    if (!isUnavailable(pod, mrs, now)) continue;
    // Parallel: old broken pods do not count (those at or above the partition were just
    // replaced above, or will be next sync; those below it are never replaced).
    if (allowsBurst(set) && isOutdated(pod, updateRevision)) continue;
    unavailable++;
  }
  if (unavailable >= maxUnavailable) return;

  let budget = maxUnavailable - unavailable;
  for (let target = replicas.length - 1; target >= updateMin && budget > 0; target--) {
    const pod = replicas[target]!;
    if (!isOutdated(pod, updateRevision)) continue;
    if (allowsBurst(set) && isUnavailable(pod, mrs, now)) continue; // handled in the first pass
    await deleteForUpdate(input, pod);
    budget--;
  }
}
