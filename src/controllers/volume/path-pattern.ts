// nfs-subdir-external-provisioner's `pathPattern` class parameter: `${.PVC.namespace}`,
// `${.PVC.name}`, `${.PVC.labels.<key>}` and `${.PVC.annotations.<key>}` are replaced by the
// claim's values (a missing key becomes ""); anything else in `${.PVC.…}` becomes "".
// Unlike upstream, which joins the result onto the export with filepath.Join (so `..` from a
// claim annotation can climb out), the expansion is split into segments and `..` is refused.

import type { KObject } from '../../api/object.js';
import { ConfinementError, segmentsOf } from './confined-dirs.js';

const PLACEHOLDER = /\$\{\.PVC\.((labels|annotations)\.(.*?)|.*?)\}/g;

export function expandPathPattern(pattern: string, claim: KObject): string {
  const data: Record<string, string> = { name: claim.metadata.name ?? '', namespace: claim.metadata.namespace ?? '' };
  return pattern.replace(PLACEHOLDER, (_all, field: string, map: string | undefined, key: string | undefined) => {
    if (map === 'labels') return claim.metadata.labels?.[key ?? ''] ?? '';
    if (map === 'annotations') return claim.metadata.annotations?.[key ?? ''] ?? '';
    return data[field] ?? '';
  });
}

/** `${namespace}-${pvcName}-${pvName}`, the provisioner's default directory name. */
export function defaultSubdirName(claim: KObject, pvName: string): string {
  return [claim.metadata.namespace ?? '', claim.metadata.name ?? '', pvName].join('-');
}

/**
 * The directory (as segments below the export) for a claim: the expanded pattern when it is
 * not empty, else the default name. Throws ConfinementError for `..`, or a pattern that names
 * the export itself.
 */
export function subdirSegments(claim: KObject, pvName: string, pattern: string | undefined): string[] {
  const custom = pattern !== undefined ? expandPathPattern(pattern, claim) : '';
  if (custom === '') return [defaultSubdirName(claim, pvName)];
  const segments = segmentsOf(custom, 'pathPattern result');
  if (!segments.length) throw new ConfinementError(`pathPattern result ${JSON.stringify(custom)} names the export directory itself`);
  return segments;
}
