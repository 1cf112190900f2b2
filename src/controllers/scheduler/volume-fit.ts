// The VolumeBinding filter for one node (FindPodVolumes): bound claims need their PV's node
// affinity to admit the node; unbound WaitForFirstConsumer claims need either an existing PV
// usable from the node or a class that can provision there. A claim that already carries a
// selected-node annotation pins the pod to that node. The fit comes with the plan the binding
// step carries out: PVs to pre-bind to claims, and claims to annotate for provisioning.

import { isPlainObject, type KObject } from '../../api/object.js';
import type { ClusterView } from './cluster-view.js';
import { REASONS } from './fit-error.js';
import { nodeLabels } from './node-affinity.js';
import { ANN_SELECTED_NODE, claimClassName, claimSpec, type PodClaims } from './pod-claims.js';
import { findMatchingVolume, volumeFitsNode } from './static-volume-match.js';

type J = Record<string, unknown>;

/** The provisioner name of classes that cannot provision (local static PVs only). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface VolumePlan {
  staticBindings: { claim: KObject; pv: KObject }[];
  provisions: KObject[];
}

export type VolumeFit = { kind: 'fit'; plan: VolumePlan } | { kind: 'rejected'; reasons: string[] } | { kind: 'error'; message: string };

export const EMPTY_PLAN: VolumePlan = { staticBindings: [], provisions: [] };

function claimKey(claim: KObject): string {
  return `${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`;
}

/** MatchTopologySelectorTerms: no terms admit every node; otherwise some term must match entirely. */
function topologyAllows(cls: KObject, node: KObject): boolean {
  const terms = Array.isArray(cls.allowedTopologies) ? cls.allowedTopologies.filter(isPlainObject) : [];
  if (!terms.length) return true;
  const labels = nodeLabels(node);
  return terms.some((t) => {
    const exprs = Array.isArray(t.matchLabelExpressions) ? t.matchLabelExpressions.filter(isPlainObject) : [];
    return exprs.every((e: J) => {
      const key = typeof e.key === 'string' ? e.key : '';
      const values = Array.isArray(e.values) ? e.values : [];
      return Object.prototype.hasOwnProperty.call(labels, key) && values.includes(labels[key]);
    });
  });
}

/** Whether each claim's class can provision on the node; an error for a claim without a usable class. */
function provisionable(claims: KObject[], node: KObject, view: ClusterView): boolean | { error: string } {
  for (const claim of claims) {
    const className = claimClassName(claim);
    if (!className) return { error: `no class for claim "${claimKey(claim)}"` };
    const cls = view.storageClass(className);
    if (!cls) return { error: `failed to find storage class "${className}"` };
    const provisioner = typeof cls.provisioner === 'string' ? cls.provisioner : '';
    if (!provisioner || provisioner === NO_PROVISIONER) return false;
    if (!topologyAllows(cls, node)) return false;
  }
  return true;
}

export function volumesFitNode(claims: PodClaims, node: KObject, view: ClusterView): VolumeFit {
  let boundSatisfied = true;
  let boundFound = true;
  let unboundSatisfied = true;
  const plan: VolumePlan = { staticBindings: [], provisions: [] };
  const nodeName = node.metadata.name ?? '';

  for (const claim of claims.bound) {
    const pv = view.volume(String(claimSpec(claim).volumeName));
    if (!pv) {
      boundFound = false;
      break;
    }
    if (!volumeFitsNode(pv, node)) {
      boundSatisfied = false;
      break;
    }
  }

  delayed: if (claims.delayed.length) {
    const toMatch: KObject[] = [];
    const toProvision: KObject[] = [];
    for (const claim of claims.delayed) {
      const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected === undefined) toMatch.push(claim);
      else if (selected === nodeName) toProvision.push(claim);
      else {
        unboundSatisfied = false;
        break delayed;
      }
    }
    const chosen = new Set<string>();
    for (const claim of toMatch) {
      const pv = findMatchingVolume(claim, view.volumes(), node, chosen);
      if (!pv) {
        toProvision.push(claim);
        continue;
      }
      chosen.add(pv.metadata.name ?? '');
      plan.staticBindings.push({ claim, pv });
    }
    if (toProvision.length) {
      const ok = provisionable(toProvision, node, view);
      if (typeof ok === 'object') return { kind: 'error', message: ok.error };
      unboundSatisfied = ok;
      plan.provisions.push(...toProvision);
    }
  }

  const reasons: string[] = [];
  if (!boundSatisfied) reasons.push(REASONS.volumeNodeConflict);
  if (!unboundSatisfied) reasons.push(REASONS.volumeBindConflict);
  if (!boundFound) reasons.push(REASONS.volumePVNotExist);
  return reasons.length ? { kind: 'rejected', reasons } : { kind: 'fit', plan };
}
