// The PodScheduled=False condition a failed attempt leaves on the pod, written as upstream's
// updatePod does: only when status, reason or message changed, keeping the transition time
// while the status stays False.

import { isPlainObject, type KObject } from '../../api/object.js';

type J = Record<string, unknown>;

export type FailureReason = 'Unschedulable' | 'SchedulerError';

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function podScheduledCondition(pod: KObject): J | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
  return conditions.find((c) => c.type === 'PodScheduled');
}

/** The strategic-merge status patch to send, or undefined when the pod already says so. */
export function unschedulableConditionPatch(pod: KObject, reason: FailureReason, message: string, now: Date): J | undefined {
  const existing = podScheduledCondition(pod);
  if (existing && existing.status === 'False' && existing.reason === reason && existing.message === message) return undefined;
  const lastTransitionTime = existing?.status === 'False' && typeof existing.lastTransitionTime === 'string' ? existing.lastTransitionTime : rfc3339(now);
  const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime, reason, message };
  return { status: { conditions: [condition] } };
}
