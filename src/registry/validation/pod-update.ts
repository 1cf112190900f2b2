// Pod update rules (ValidatePodUpdate / ValidatePodStatusUpdate): a pod's spec is frozen at
// creation except for images, activeDeadlineSeconds, added tolerations, a repaired negative
// grace period and removed scheduling gates. Node assignment happens only through pods/binding.

import { clone, deepEqual, isPlainObject, type JsonObject } from '../../api/object.js';
import { FieldPath, duplicate, forbidden, invalid, type FieldError } from '../../api/field-errors.js';
import { inclusiveRangeError, isValidIP } from './core-values.js';
import { isDNS1123Subdomain } from './metadata.js';

type J = JsonObject;

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const objects = (v: unknown): J[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);
const MAX_INT32 = 2147483647;

/** Existing tolerations must stay; only their tolerationSeconds may change. */
function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  const news = objects(next);
  for (const old of objects(prev)) {
    const found = news.some((n) => deepEqual({ ...old, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

function validateActiveDeadline(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  if (typeof next === 'number') {
    if (next < 0 || next > MAX_INT32) return [invalid(path, next, inclusiveRangeError(0, MAX_INT32))];
    if (typeof prev === 'number' && prev < next) return [invalid(path, next, 'must be less than or equal to previous value')];
    return [];
  }
  return typeof prev === 'number' ? [invalid(path, null, 'must not update from a positive integer to nil value')] : [];
}

const goName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** A compact `- old / + new` diff of the top-level spec fields, after upstream's cmp.Diff. */
export function specDiff(oldSpec: J, newSpec: J): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (deepEqual(oldSpec[k], newSpec[k])) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${goName(k)}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goName(k)}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

/** Copies what may legitimately change from `newSpec` onto a copy of `oldSpec`'s values. */
function mungeAllowedChanges(newSpec: J, oldSpec: J): J {
  const munged = clone(newSpec);
  for (const list of ['containers', 'initContainers']) {
    const olds = objects(oldSpec[list]);
    objects(munged[list]).forEach((c, i) => {
      if (olds[i]) c.image = olds[i].image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  // Scheduling gates may only be removed.
  const oldGates = objects(oldSpec.schedulingGates).map((g) => g.name);
  if (objects(munged.schedulingGates).every((g) => oldGates.includes(g.name))) munged.schedulingGates = oldSpec.schedulingGates;
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  return munged;
}

export function validatePodSpecUpdate(newSpec: J, oldSpec: J): FieldError[] {
  const specPath = FieldPath.root('spec');
  for (const list of ['containers', 'initContainers']) {
    if (objects(newSpec[list]).length !== objects(oldSpec[list]).length) {
      return [forbidden(specPath.child(list), 'pod updates may not add or remove containers')];
    }
  }
  const errs = validateActiveDeadline(newSpec.activeDeadlineSeconds, oldSpec.activeDeadlineSeconds, specPath.child('activeDeadlineSeconds'));
  if (errs.length) return errs;
  errs.push(...validateOnlyAddedTolerations(newSpec.tolerations, oldSpec.tolerations, specPath.child('tolerations')));
  const munged = mungeAllowedChanges(newSpec, oldSpec);
  if (!deepEqual(munged, oldSpec)) errs.push(forbidden(specPath, `${POD_UPDATE_FORBIDDEN}\n${specDiff(oldSpec, munged)}`));
  return errs;
}

/** The status checks of ValidatePodStatusUpdate that a kubelet or controller can trip. */
export function validatePodStatus(status: unknown): FieldError[] {
  if (!isPlainObject(status)) return [];
  const path = FieldPath.root('status');
  const errs: FieldError[] = [];
  const nominated = typeof status.nominatedNodeName === 'string' ? status.nominatedNodeName : '';
  if (nominated) for (const m of isDNS1123Subdomain(nominated)) errs.push(invalid(path.child('nominatedNodeName'), nominated, m));
  for (const list of ['podIPs', 'hostIPs']) {
    const ips = objects(status[list]);
    ips.forEach((entry, i) => {
      const ip = typeof entry.ip === 'string' ? entry.ip : '';
      for (const m of isValidIP(ip)) errs.push(invalid(path.child(list).index(i), ip, m));
    });
    const seen = new Set<string>();
    ips.forEach((entry, i) => {
      const ip = String(entry.ip ?? '');
      if (seen.has(ip)) errs.push(duplicate(path.child(list).index(i), ip));
      seen.add(ip);
    });
  }
  return errs;
}
