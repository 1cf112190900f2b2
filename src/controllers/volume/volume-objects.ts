// Reading PVs, claims and StorageClasses as plain JSON (storagehelpers in upstream): class
// names with the legacy beta annotation, requested and offered sizes, access modes, phases,
// and whether a PV's claimRef points at a given claim. Pure functions only.

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { parseQuantity, type Quantity } from '../../api/quantity.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const ZERO: Quantity = { mantissa: 0n, scale: 0, format: 'DecimalSI' };

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function specOf(o: KObject): JsonObject {
  return isPlainObject(o.spec) ? o.spec : {};
}

export function statusOf(o: KObject): JsonObject {
  return isPlainObject(o.status) ? o.status : {};
}

export function phaseOf(o: KObject): string {
  return str(statusOf(o).phase);
}

export function annotation(o: KObject, key: string): string | undefined {
  return o.metadata.annotations?.[key];
}

export function hasAnnotation(o: KObject, key: string): boolean {
  return o.metadata.annotations !== undefined && Object.prototype.hasOwnProperty.call(o.metadata.annotations, key);
}

/** GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
export function claimClassName(claim: KObject): string {
  const ann = annotation(claim, ANN_BETA_STORAGE_CLASS);
  if (ann !== undefined) return ann;
  return str(specOf(claim).storageClassName);
}

/** Whether the claim names no class at all (neither the annotation nor the field, not even ""). */
export function claimClassUnset(claim: KObject): boolean {
  return annotation(claim, ANN_BETA_STORAGE_CLASS) === undefined && typeof specOf(claim).storageClassName !== 'string';
}

export function volumeClassName(pv: KObject): string {
  const ann = annotation(pv, ANN_BETA_STORAGE_CLASS);
  if (ann !== undefined) return ann;
  return str(specOf(pv).storageClassName);
}

function storageIn(list: unknown): Quantity | undefined {
  const s = isPlainObject(list) ? list.storage : undefined;
  if (typeof s === 'number') return parseQuantity(String(s));
  return typeof s === 'string' ? parseQuantity(s) : undefined;
}

/** spec.resources.requests.storage (zero when absent or malformed). */
export function claimRequest(claim: KObject): Quantity {
  const res = specOf(claim).resources;
  return storageIn(isPlainObject(res) ? res.requests : undefined) ?? ZERO;
}

export function claimRequestString(claim: KObject): string | undefined {
  const res = specOf(claim).resources;
  const req = isPlainObject(res) && isPlainObject(res.requests) ? res.requests.storage : undefined;
  return typeof req === 'string' ? req : typeof req === 'number' ? String(req) : undefined;
}

export function claimStatusCapacity(claim: KObject): Quantity | undefined {
  return storageIn(statusOf(claim).capacity);
}

export function volumeCapacity(pv: KObject): Quantity {
  return storageIn(specOf(pv).capacity) ?? ZERO;
}

export function accessModes(o: KObject): string[] {
  const m = specOf(o).accessModes;
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}

/** Unset volumeMode means Filesystem. */
export function volumeMode(o: KObject): string {
  return str(specOf(o).volumeMode) || 'Filesystem';
}

export interface ClaimRef {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export function claimRefOf(pv: KObject): ClaimRef | undefined {
  const ref = specOf(pv).claimRef;
  return isPlainObject(ref) ? (ref as ClaimRef) : undefined;
}

export function claimKey(claim: KObject): string {
  return `${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`;
}

export function claimRefKey(ref: ClaimRef): string {
  return `${ref.namespace ?? ''}/${ref.name ?? ''}`;
}

/** IsVolumeBoundToClaim: the claimRef names the claim, and its UID (when set) is the claim's. */
export function volumeBoundToClaim(pv: KObject, claim: KObject): boolean {
  const ref = claimRefOf(pv);
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

export function reclaimPolicy(pv: KObject): string {
  return str(specOf(pv).persistentVolumeReclaimPolicy) || 'Retain';
}

export function bindingMode(cls: KObject | undefined): string {
  return str(cls?.volumeBindingMode) || 'Immediate';
}

/** The provisioner the PV controller asked for on this claim (either annotation). */
export function requestedProvisioner(claim: KObject): string | undefined {
  return annotation(claim, ANN_STORAGE_PROVISIONER) ?? annotation(claim, ANN_BETA_STORAGE_PROVISIONER);
}

export function isDefaultClass(cls: KObject): boolean {
  return annotation(cls, ANN_DEFAULT_CLASS) === 'true' || annotation(cls, ANN_BETA_DEFAULT_CLASS) === 'true';
}

/**
 * GetDefaultClass: of the classes marked default, the most recently created one (ties go to
 * the name that sorts first), as upstream picks since 1.26.
 */
export function defaultClass(classes: readonly KObject[]): KObject | undefined {
  let best: KObject | undefined;
  for (const c of classes) {
    if (!isDefaultClass(c)) continue;
    if (!best) {
      best = c;
      continue;
    }
    const a = str(c.metadata.creationTimestamp);
    const b = str(best.metadata.creationTimestamp);
    if (a > b || (a === b && (c.metadata.name ?? '') < (best.metadata.name ?? ''))) best = c;
  }
  return best;
}

/** The PV name every dynamic provisioner uses for a claim. */
export function provisionedVolumeName(claim: KObject): string {
  return `pvc-${claim.metadata.uid ?? ''}`;
}

export function isTerminalPod(pod: KObject): boolean {
  const p = phaseOf(pod);
  return p === 'Succeeded' || p === 'Failed';
}

/** Claim names a pod refers to: persistentVolumeClaim volumes and generic ephemeral volumes. */
export function podClaimNames(pod: KObject): string[] {
  const vols = specOf(pod).volumes;
  if (!Array.isArray(vols)) return [];
  const out: string[] = [];
  for (const v of vols) {
    if (!isPlainObject(v)) continue;
    if (isPlainObject(v.persistentVolumeClaim)) out.push(str(v.persistentVolumeClaim.claimName));
    else if (isPlainObject(v.ephemeral)) out.push(`${pod.metadata.name ?? ''}-${str(v.name)}`);
  }
  return out.filter((n) => n !== '');
}
