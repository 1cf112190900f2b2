// Taints and tolerations as the TaintToleration and NodeUnschedulable filters see them, plus
// the readiness taints upstream's node lifecycle controller would have put on a node that is
// not Ready (ordinal runs no such controller, so the scheduler derives them from the condition).

import { isPlainObject, type KObject } from '../../api/object.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

type J = Record<string, unknown>;

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

function objects(v: unknown): J[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Toleration.ToleratesTaint: empty effect or key are wildcards; an empty operator means Equal. */
export function toleratesTaint(toleration: J, taint: Taint): boolean {
  const effect = str(toleration.effect);
  if (effect && effect !== taint.effect) return false;
  const key = str(toleration.key);
  if (key && key !== taint.key) return false;
  switch (str(toleration.operator)) {
    case '':
    case 'Equal':
      return str(toleration.value) === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function podTolerations(pod: KObject): J[] {
  return objects(isPlainObject(pod.spec) ? pod.spec.tolerations : undefined);
}

export function tolerates(tolerations: J[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The Ready condition's status, or undefined when the node reports none. */
export function readyStatus(node: KObject): string | undefined {
  const status = isPlainObject(node.status) ? node.status : {};
  const ready = objects(status.conditions).find((c) => c.type === 'Ready');
  return ready ? str(ready.status) : undefined;
}

/**
 * The node's own taints, followed by the NoSchedule readiness taint for a node that is not
 * Ready (Ready=Unknown reads as unreachable; False or missing as not-ready), unless present.
 */
export function effectiveTaints(node: KObject): Taint[] {
  const spec = isPlainObject(node.spec) ? node.spec : {};
  const taints: Taint[] = objects(spec.taints).map((t) => ({ key: str(t.key), value: str(t.value), effect: str(t.effect) }));
  const ready = readyStatus(node);
  if (ready !== 'True') {
    const key = ready === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, value: '', effect: 'NoSchedule' });
  }
  return taints;
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate, in the node's order. */
export function firstUntoleratedTaint(taints: Taint[], tolerations: J[]): Taint | undefined {
  return taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
}

/** NodeUnschedulable: a cordoned node accepts only pods that tolerate the unschedulable taint. */
export function blockedByUnschedulable(node: KObject, tolerations: J[]): boolean {
  const spec = isPlainObject(node.spec) ? node.spec : {};
  return spec.unschedulable === true && !tolerates(tolerations, { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
}
