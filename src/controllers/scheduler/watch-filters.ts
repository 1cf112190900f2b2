// Which objects and which changes concern the scheduler: the pods it must place, and the
// node and pod updates that can change a scheduling answer (a cheap stand-in for upstream's
// queueing hints, so that heartbeats and our own status writes do not cause retries).

import { clone, deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { readyStatus } from './taints.js';

export const SCHEDULER_NAME = 'default-scheduler';

function spec(o: KObject): Record<string, unknown> {
  return isPlainObject(o.spec) ? o.spec : {};
}

/** Unassigned, ours, alive, not finished and not gated: a pod this scheduler must place. */
export function needsScheduling(pod: KObject): boolean {
  const s = spec(pod);
  if (typeof s.nodeName === 'string' && s.nodeName) return false;
  const scheduler = typeof s.schedulerName === 'string' ? s.schedulerName : '';
  if (scheduler && scheduler !== SCHEDULER_NAME) return false;
  if (pod.metadata.deletionTimestamp) return false;
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return !(Array.isArray(s.schedulingGates) && s.schedulingGates.length > 0);
}

/** The pod minus what changes on every write and what the scheduler itself writes. */
function schedulingRelevant(pod: KObject): KObject {
  const p = clone(pod);
  delete p.status;
  delete p.metadata.resourceVersion;
  delete p.metadata.managedFields;
  delete p.metadata.generation;
  return p;
}

export function podChangeMatters(oldPod: KObject, newPod: KObject): boolean {
  return !deepEqual(schedulingRelevant(oldPod), schedulingRelevant(newPod));
}

/** Labels, taints, cordoning and readiness decide placement; heartbeats do not. */
export function nodeChangeMatters(oldNode: KObject, newNode: KObject): boolean {
  const o = spec(oldNode);
  const n = spec(newNode);
  return (
    !deepEqual(oldNode.metadata.labels ?? {}, newNode.metadata.labels ?? {}) ||
    !deepEqual(o.taints ?? [], n.taints ?? []) ||
    (o.unschedulable === true) !== (n.unschedulable === true) ||
    readyStatus(oldNode) !== readyStatus(newNode)
  );
}
