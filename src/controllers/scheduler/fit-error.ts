// The scheduler's "why not" text, worded as upstream's FitError (framework/types.go, 1.33):
// "0/N nodes are available: <PreFilter msg | sorted reason histogram>. preemption: 0/N nodes are available: <...>."

/** Reasons, as upstream's plugins word them. */
export const REASONS = {
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  unschedulable: 'node(s) were unschedulable',
  volumeNodeConflict: 'node(s) had volume node affinity conflict',
  volumeBindConflict: "node(s) didn't find available persistent volumes to bind",
  volumePVNotExist: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)',
  untoleratedTaint: (key: string, value: string) => `node(s) had untolerated taint {${key}: ${value}}`,
  preFilterExcluded: (plugins: string[]) => `node(s) didn't satisfy plugin(s) [${plugins.join(' ')}]`,
  preemptionNotHelpful: 'Preemption is not helpful for scheduling',
} as const;

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const UNBOUND_IMMEDIATE_CLAIMS = 'pod has unbound immediate PersistentVolumeClaims';
export const AFFINITY_TERMS_CONFLICT = 'pod affinity terms conflict';

export interface Diagnosis {
  numAllNodes: number;
  /** Set when a PreFilter rejected the pod: it replaces the per-node histogram. */
  preFilterMsg?: string;
  /** The reasons each node was rejected for (a node may have several). */
  nodeReasons: string[][];
  postFilterMsg?: string;
}

/** "3 a, 1 b" style: each distinct reason with its node count, sorted as strings (Go's sort.Strings). */
function histogram(nodeReasons: string[][]): string[] {
  const counts = new Map<string, number>();
  for (const reasons of nodeReasons) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out = [...counts].map(([r, n]) => `${n} ${r}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function fitErrorMessage(d: Diagnosis): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const h = histogram(d.nodeReasons);
    if (h.length) msg += ` ${h.join(', ')}.`;
  }
  // The PostFilter text is itself a FitError message and brings its own full stop.
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

/**
 * DefaultPreemption's answer when every node rejected the pod as unresolvable (all the
 * filters here do): no node where evicting pods could help.
 */
export function preemptionNotHelpful(numAllNodes: number): string {
  return `preemption: ${fitErrorMessage({ numAllNodes, nodeReasons: Array.from({ length: numAllNodes }, () => [REASONS.preemptionNotHelpful]) })}`;
}

/** Events and conditions carry at most 1024 characters (upstream truncateMessage). */
export function truncateMessage(message: string): string {
  const max = 1024;
  if (message.length <= max) return message;
  const suffix = ' ...';
  return message.slice(0, max - suffix.length) + suffix;
}
