// The claims a pod uses and how each stands for scheduling (VolumeBinding's PreFilter and
// GetPodVolumeClaims): missing, lost or terminating claims reject the pod outright; bound
// claims carry their PV's node affinity; unbound claims of a WaitForFirstConsumer class are
// the scheduler's to place; any other unbound claim must first be bound by the PV controller.

import { isPlainObject, type KObject } from '../../api/object.js';
import type { ClusterView } from './cluster-view.js';

type J = Record<string, unknown>;

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

export interface PodClaims {
  bound: KObject[];
  /** Unbound, WaitForFirstConsumer: the scheduler chooses the node (and possibly the PV). */
  delayed: KObject[];
  /** Unbound otherwise (Immediate class, no class, or pre-bound to a PV not yet bound). */
  immediateUnbound: KObject[];
}

export type PodClaimsResult = { kind: 'none' } | { kind: 'claims'; claims: PodClaims } | { kind: 'rejected'; message: string };

function objects(v: unknown): J[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function claimSpec(claim: KObject): J {
  return isPlainObject(claim.spec) ? claim.spec : {};
}

function claimPhase(claim: KObject): string {
  return isPlainObject(claim.status) ? str(claim.status.phase) : '';
}

/** The beta annotation wins over spec.storageClassName, as in storagehelpers. */
export function claimClassName(claim: KObject): string {
  const ann = claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  return ann !== undefined ? ann : str(claimSpec(claim).storageClassName);
}

/**
 * Bound for scheduling: the claim names its volume and the binder has finished (the
 * bind-completed annotation upstream checks, or the Bound phase it sets alongside).
 */
export function claimIsBound(claim: KObject): boolean {
  if (!str(claimSpec(claim).volumeName)) return false;
  return claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined || claimPhase(claim) === 'Bound';
}

export function isDelayBinding(claim: KObject, view: ClusterView): boolean {
  const name = claimClassName(claim);
  if (!name) return false;
  const cls = view.storageClass(name);
  return cls?.volumeBindingMode === 'WaitForFirstConsumer';
}

interface ClaimUse {
  name: string;
  ephemeral: boolean;
}

/** persistentVolumeClaim volumes by claim name; generic ephemeral volumes by `<pod>-<volume>`. */
export function podClaimUses(pod: KObject): ClaimUse[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const uses: ClaimUse[] = [];
  for (const v of objects(spec.volumes)) {
    if (isPlainObject(v.persistentVolumeClaim)) uses.push({ name: str(v.persistentVolumeClaim.claimName), ephemeral: false });
    else if (isPlainObject(v.ephemeral)) uses.push({ name: `${pod.metadata.name ?? ''}-${str(v.name)}`, ephemeral: true });
  }
  return uses;
}

export function podClaims(pod: KObject, view: ClusterView): PodClaimsResult {
  const uses = podClaimUses(pod);
  if (!uses.length) return { kind: 'none' };
  const ns = pod.metadata.namespace ?? '';
  const claims: PodClaims = { bound: [], delayed: [], immediateUnbound: [] };
  for (const use of uses) {
    const claim = view.claim(ns, use.name);
    if (!claim) {
      return {
        kind: 'rejected',
        message: use.ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${use.name}"`
          : `persistentvolumeclaim "${use.name}" not found`,
      };
    }
    if (claimPhase(claim) === 'Lost') {
      return { kind: 'rejected', message: `persistentvolumeclaim "${use.name}" bound to non-existent persistentvolume "${str(claimSpec(claim).volumeName)}"` };
    }
    if (claim.metadata.deletionTimestamp) return { kind: 'rejected', message: `persistentvolumeclaim "${use.name}" is being deleted` };
    if (claimIsBound(claim)) claims.bound.push(claim);
    else if (isDelayBinding(claim, view) && !str(claimSpec(claim).volumeName)) claims.delayed.push(claim);
    else claims.immediateUnbound.push(claim);
  }
  return { kind: 'claims', claims };
}
