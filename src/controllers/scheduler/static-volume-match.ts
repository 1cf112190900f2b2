// Choosing an existing PV for an unbound WaitForFirstConsumer claim on a given node
// (FindMatchingVolume on the scheduler path): a PV pre-bound to the claim wins if the node
// suits it; otherwise the smallest Available PV of the claim's class that is big enough,
// matches the claim's selector, access and volume modes, and whose node affinity admits the node.

import { isPlainObject, type KObject } from '../../api/object.js';
import { compareQuantities, parseQuantity, type Quantity } from '../../api/quantity.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import { nodeSelectorMatches } from './node-affinity.js';
import { claimClassName, claimSpec } from './pod-claims.js';

type J = Record<string, unknown>;

const ZERO: Quantity = { mantissa: 0n, scale: 0, format: 'DecimalSI' };

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function spec(o: KObject): J {
  return isPlainObject(o.spec) ? o.spec : {};
}

function storageOf(list: unknown): Quantity {
  const s = isPlainObject(list) ? list.storage : undefined;
  return (typeof s === 'string' ? parseQuantity(s) : undefined) ?? ZERO;
}

export function volumeClassName(pv: KObject): string {
  const ann = pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return ann !== undefined ? ann : str(spec(pv).storageClassName);
}

/** A PV without required node affinity fits every node. */
export function volumeFitsNode(pv: KObject, node: KObject): boolean {
  const affinity = spec(pv).nodeAffinity;
  if (!isPlainObject(affinity) || affinity.required === undefined || affinity.required === null) return true;
  return nodeSelectorMatches(affinity.required, node);
}

export function volumeBoundToClaim(pv: KObject, claim: KObject): boolean {
  const ref = spec(pv).claimRef;
  if (!isPlainObject(ref)) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !str(ref.uid) || ref.uid === claim.metadata.uid;
}

function modes(o: KObject): string[] {
  const m = spec(o).accessModes;
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}

function volumeMode(o: KObject): string {
  return str(spec(o).volumeMode) || 'Filesystem';
}

export function findMatchingVolume(claim: KObject, volumes: readonly KObject[], node: KObject, excluded: ReadonlySet<string>): KObject | undefined {
  const cs = claimSpec(claim);
  const requested = storageOf(isPlainObject(cs.resources) ? cs.resources.requests : undefined);
  const requestedClass = claimClassName(claim);
  const selector = isPlainObject(cs.selector) ? (cs.selector as LabelSelector) : undefined;
  let best: { pv: KObject; size: Quantity } | undefined;
  for (const pv of volumes) {
    const name = pv.metadata.name ?? '';
    if (excluded.has(name)) continue;
    const bound = volumeBoundToClaim(pv, claim);
    if (isPlainObject(spec(pv).claimRef) && !bound) continue;
    const size = storageOf(spec(pv).capacity);
    if (compareQuantities(size, requested) < 0) continue;
    if (volumeMode(pv) !== volumeMode(claim)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const fits = volumeFitsNode(pv, node);
    // A PV pre-bound to this claim is the only candidate: usable here or not at all.
    if (bound) return fits ? pv : undefined;
    const phase = isPlainObject(pv.status) ? str(pv.status.phase) : '';
    if (phase !== 'Available') continue;
    if (selector && !labelSelectorMatches(selector, pv.metadata.labels)) continue;
    if (volumeClassName(pv) !== requestedClass) continue;
    if (!fits) continue;
    const pvModes = modes(pv);
    if (!modes(claim).every((m) => pvModes.includes(m))) continue;
    if (!best || compareQuantities(best.size, size) > 0) best = { pv, size };
  }
  return best?.pv;
}
