// Choosing a PV for a claim (upstream findBestMatchForClaim / FindMatchingVolume): a PV whose
// claimRef already names the claim wins; otherwise the smallest Available PV of the same
// class that is big enough, has the same volume mode, matches the claim's selector, and
// offers every access mode asked for. Candidates are tried in groups of equal access-mode
// sets, fewest modes first, so a RWO claim takes a RWO volume before a RWO+RWX one.
// The PV controller leaves WaitForFirstConsumer claims to the scheduler unless pre-bound.

import { compareQuantities } from '../../api/quantity.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import {
  accessModes,
  claimClassName,
  claimRefOf,
  claimRequest,
  phaseOf,
  specOf,
  volumeBoundToClaim,
  volumeCapacity,
  volumeClassName,
  volumeMode,
} from './volume-objects.js';

function modesKey(modes: string[]): string {
  return [...new Set(modes)].sort().join(',');
}

/** Groups of volumes by access-mode set, each set containing all of `wanted`, fewest modes first. */
function groupsOffering(wanted: string[], volumes: readonly KObject[]): KObject[][] {
  const groups = new Map<string, KObject[]>();
  for (const pv of volumes) {
    const modes = accessModes(pv);
    if (!wanted.every((m) => modes.includes(m))) continue;
    const key = modesKey(modes);
    const g = groups.get(key);
    if (g) g.push(pv);
    else groups.set(key, [pv]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.split(',').length - b.split(',').length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => g);
}

function matchInGroup(claim: KObject, volumes: KObject[], delayBinding: boolean): KObject | undefined | null {
  const requested = claimRequest(claim);
  const requestedClass = claimClassName(claim);
  const sel = specOf(claim).selector;
  const selector = isPlainObject(sel) ? (sel as LabelSelector) : undefined;
  let best: KObject | undefined;
  for (const pv of volumes) {
    const size = volumeCapacity(pv);
    if (compareQuantities(size, requested) < 0) continue;
    if (volumeMode(pv) !== volumeMode(claim)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    if (volumeBoundToClaim(pv, claim)) return pv;
    // Unbound volumes for delayed claims are the scheduler's choice, not ours.
    if (delayBinding) continue;
    if (phaseOf(pv) !== 'Available' || claimRefOf(pv)) continue;
    if (selector && !labelSelectorMatches(selector, pv.metadata.labels)) continue;
    if (volumeClassName(pv) !== requestedClass) continue;
    if (!best || compareQuantities(volumeCapacity(best), size) > 0) best = pv;
  }
  return best;
}

export function findBestMatchForClaim(claim: KObject, volumes: readonly KObject[], delayBinding: boolean): KObject | undefined {
  for (const group of groupsOffering(accessModes(claim), volumes)) {
    const pv = matchInGroup(claim, group, delayBinding);
    if (pv) return pv;
  }
  return undefined;
}

/** checkVolumeSatisfyClaim: why a PV the claim names in spec.volumeName cannot serve it. */
export function volumeUnsuitableReason(pv: KObject, claim: KObject): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name ?? ''}"`;
  if (compareQuantities(volumeCapacity(pv), claimRequest(claim)) < 0) return 'requested PV is too small';
  if (volumeClassName(pv) !== claimClassName(claim)) return 'storageClassName does not match';
  if (volumeMode(pv) !== volumeMode(claim)) return 'incompatible volumeMode';
  const offered = accessModes(pv);
  if (!accessModes(claim).every((m) => offered.includes(m))) return 'incompatible accessMode';
  return undefined;
}
