// One scheduling attempt for one pod, as a pure function of the pod and the cluster view:
// PreFilter (node-name affinity, claims), then the filters on every node in upstream's
// plugin order (NodeUnschedulable, TaintToleration, NodeAffinity, VolumeBinding), stopping
// at a node's first failing filter, then the choice among the nodes that fit.

import type { KObject } from '../../api/object.js';
import type { ClusterView } from './cluster-view.js';
import {
  AFFINITY_TERMS_CONFLICT,
  NO_NODES_AVAILABLE,
  REASONS,
  UNBOUND_IMMEDIATE_CLAIMS,
  fitErrorMessage,
  preemptionNotHelpful,
} from './fit-error.js';
import { affinityNodeNames, podNodeAffinityMatches } from './node-affinity.js';
import { podClaims, type PodClaims } from './pod-claims.js';
import { blockedByUnschedulable, effectiveTaints, firstUntoleratedTaint, podTolerations } from './taints.js';
import { EMPTY_PLAN, volumesFitNode, type VolumePlan } from './volume-fit.js';

export type ScheduleOutcome =
  | { kind: 'fit'; node: string; plan: VolumePlan }
  /** PodScheduled=False reason Unschedulable. */
  | { kind: 'unschedulable'; message: string }
  /** PodScheduled=False reason SchedulerError: something is wrong beyond "no node fits". */
  | { kind: 'error'; message: string };

type NodeResult = { kind: 'fit'; plan: VolumePlan } | { kind: 'rejected'; reasons: string[] } | { kind: 'error'; message: string };

function filterNode(pod: KObject, node: KObject, claims: PodClaims | undefined, view: ClusterView): NodeResult {
  const tolerations = podTolerations(pod);
  if (blockedByUnschedulable(node, tolerations)) return { kind: 'rejected', reasons: [REASONS.unschedulable] };
  const taint = firstUntoleratedTaint(effectiveTaints(node), tolerations);
  if (taint) return { kind: 'rejected', reasons: [REASONS.untoleratedTaint(taint.key, taint.value ?? '')] };
  if (!podNodeAffinityMatches(pod, node)) return { kind: 'rejected', reasons: [REASONS.nodeAffinity] };
  if (!claims) return { kind: 'fit', plan: EMPTY_PLAN };
  const fit = volumesFitNode(claims, node, view);
  if (fit.kind === 'error') return { kind: 'error', message: `running "VolumeBinding" filter plugin: ${fit.message}` };
  return fit;
}

/** Every rejection here is unresolvable by eviction, so the preemption part is fixed. */
function unschedulable(numAllNodes: number, d: { preFilterMsg?: string; nodeReasons?: string[][] }): ScheduleOutcome {
  const message = fitErrorMessage({
    numAllNodes,
    preFilterMsg: d.preFilterMsg,
    nodeReasons: d.nodeReasons ?? [],
    postFilterMsg: preemptionNotHelpful(numAllNodes),
  });
  return { kind: 'unschedulable', message };
}

/** Among feasible nodes, the one running fewest pods (a crude spread), then by name. */
function pickNode(names: string[], view: ClusterView): string {
  return names.map((n) => ({ n, c: view.podCount(n) })).sort((a, b) => a.c - b.c || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))[0].n;
}

export function schedulePod(pod: KObject, view: ClusterView): ScheduleOutcome {
  const nodes = view.nodes();
  if (!nodes.length) return { kind: 'unschedulable', message: NO_NODES_AVAILABLE };
  const all = nodes.length;

  const pinned = affinityNodeNames(pod);
  if (pinned.kind === 'conflict') return unschedulable(all, { preFilterMsg: AFFINITY_TERMS_CONFLICT });
  const volumes = podClaims(pod, view);
  if (volumes.kind === 'rejected') return unschedulable(all, { preFilterMsg: volumes.message });
  if (volumes.kind === 'claims' && volumes.claims.immediateUnbound.length) return unschedulable(all, { preFilterMsg: UNBOUND_IMMEDIATE_CLAIMS });
  const claims = volumes.kind === 'claims' ? volumes.claims : undefined;

  const nodeReasons: string[][] = [];
  const feasible = new Map<string, VolumePlan>();
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    if (pinned.kind === 'some' && !pinned.names.has(name)) {
      nodeReasons.push([REASONS.preFilterExcluded(['NodeAffinity'])]);
      continue;
    }
    const r = filterNode(pod, node, claims, view);
    if (r.kind === 'error') return r;
    if (r.kind === 'rejected') nodeReasons.push(r.reasons);
    else feasible.set(name, r.plan);
  }
  if (!feasible.size) return unschedulable(all, { nodeReasons });
  const node = pickNode([...feasible.keys()], view);
  return { kind: 'fit', node, plan: feasible.get(node)! };
}
