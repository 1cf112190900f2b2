// Pod state predicates the StatefulSet algorithm is written in (upstream
// stateful_set_utils.go + podutil.IsPodAvailable). Pure functions over the pod object.

import type { KObject } from '../../api/object.js';

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

function phaseOf(pod: KObject): string {
  const s = pod.status as { phase?: string } | undefined;
  return s?.phase ?? '';
}

function readyCondition(pod: KObject): PodCondition | undefined {
  const s = pod.status as { conditions?: PodCondition[] } | undefined;
  return s?.conditions?.find((c) => c.type === 'Ready');
}

/** The API server has the pod (a placeholder built this sync has no phase). */
export function isCreated(pod: KObject): boolean {
  return phaseOf(pod) !== '';
}
export function isPending(pod: KObject): boolean {
  return phaseOf(pod) === 'Pending';
}
export function isFailed(pod: KObject): boolean {
  return phaseOf(pod) === 'Failed';
}
export function isSucceeded(pod: KObject): boolean {
  return phaseOf(pod) === 'Succeeded';
}
export function isTerminating(pod: KObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

export function isPodReady(pod: KObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

export function isRunningAndReady(pod: KObject): boolean {
  return phaseOf(pod) === 'Running' && isPodReady(pod);
}

/**
 * Running, Ready, and Ready for longer than minReadySeconds (strictly: the transition
 * time plus minReadySeconds lies before now). A Ready condition without a transition
 * time is available only when minReadySeconds is 0, as in podutil.IsPodAvailable.
 */
export function isRunningAndAvailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  if (!isRunningAndReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const t = readyCondition(pod)?.lastTransitionTime;
  if (!t) return false;
  const since = Date.parse(t);
  if (Number.isNaN(since)) return false;
  return since + minReadySeconds * 1000 < now.getTime();
}

/** #130909: "unavailable" honours minReadySeconds and counts terminating pods. */
export function isUnavailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);
}
