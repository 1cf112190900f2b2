// StatefulSet validation (pkg/apis/apps/validation, Kubernetes 1.33): spec, update, status.
// Upstream checks the template's labels, annotations, restartPolicy and activeDeadlineSeconds
// but not the rest of its PodSpec (volume mounts may name claim templates), so neither do we.

import { deepEqual, isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { FieldPath, GoValue, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import { NEGATIVE_ERROR, validateNonnegative } from './container.js';
import { nameIsDNSLabel, validateAnnotations, validateLabelSelector, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';

type J = JsonObject;

/** The spec fields a StatefulSet update may change. */
export const STATEFULSET_MUTABLE_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

export const STATEFULSET_FORBIDDEN_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const specOf = (o: KObject): J => (isPlainObject(o.spec) ? o.spec : {});

// ---- Go `%#v` renderings for the values upstream prints in these messages ----

const goQuote = (s: string) => JSON.stringify(s);

export function goStringMap(m: unknown): GoValue {
  if (!isPlainObject(m)) return new GoValue('map[string]string(nil)');
  const body = Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ');
  return new GoValue(`map[string]string{${body}}`);
}

function goStringSlice(v: unknown): string {
  return Array.isArray(v) ? `[]string{${v.map((x) => goQuote(String(x))).join(', ')}}` : '[]string(nil)';
}

export function goLabelSelector(sel: unknown): GoValue {
  const s = isPlainObject(sel) ? sel : {};
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e: J) => `v1.LabelSelectorRequirement{Key:${goQuote(str(e?.key))}, Operator:${goQuote(str(e?.operator))}, Values:${goStringSlice(e?.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels).text}, MatchExpressions:${exprs}}`);
}

function goRollingUpdate(ru: J | undefined): string {
  if (!ru) return '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
  const mu = ru.maxUnavailable === undefined || ru.maxUnavailable === null ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000000000)';
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${typeof ru.partition === 'number' ? ru.partition : 0}, MaxUnavailable:${mu}}`;
}

// ---- spec ----

function intOrPercent(v: unknown): { value: number; percent: boolean } | undefined {
  if (typeof v === 'number') return { value: v, percent: false };
  const m = /^(-?\d+)%$/.exec(str(v));
  return m ? { value: Number(m[1]), percent: true } : undefined;
}

function validateMaxUnavailable(v: unknown, path: FieldPath): FieldError[] {
  const parsed = intOrPercent(v);
  if (!parsed) return [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  const errs: FieldError[] = [];
  if (parsed.value < 0) errs.push(invalid(path, v, NEGATIVE_ERROR));
  if (parsed.value === 0) errs.push(invalid(path, v, 'cannot be 0'));
  if (parsed.percent && parsed.value > 100) errs.push(invalid(path, v, 'must not be greater than 100%'));
  return errs;
}

function validateUpdateStrategy(spec: J, path: FieldPath): FieldError[] {
  const strategy = isPlainObject(spec.updateStrategy) ? spec.updateStrategy : {};
  const ru = isPlainObject(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
  switch (str(strategy.type)) {
    case '':
      return [required(path)];
    case 'OnDelete':
      return ru ? [invalid(path.child('rollingUpdate'), new GoValue(goRollingUpdate(ru)), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [];
      const errs = validateNonnegative(ru.partition, path.child('rollingUpdate', 'partition'));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errs.push(...validateMaxUnavailable(ru.maxUnavailable, path.child('rollingUpdate', 'maxUnavailable')));
      }
      return errs;
    }
    default:
      return [
        invalid(
          path,
          new GoValue(`apps.StatefulSetUpdateStrategy{Type:${goQuote(str(strategy.type))}, RollingUpdate:${ru ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)' : goRollingUpdate(undefined)}}`),
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      ];
  }
}

function validateRetentionPolicy(policy: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(policy)) return [];
  const errs: FieldError[] = [];
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = str(policy[f]);
    if (v !== 'Retain' && v !== 'Delete') errs.push(notSupported(path.child(f), v, ['Retain', 'Delete']));
  }
  return errs;
}

function validateSelectorAndTemplate(spec: J, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  const template = isPlainObject(spec.template) ? spec.template : {};
  const tmeta = isPlainObject(template.metadata) ? template.metadata : {};
  // A missing selector selects nothing, so it also "does not match"; an empty one selects
  // everything and is not checked; one that does not parse gets a bare Invalid instead.
  let check = true;
  if (!isPlainObject(sel)) {
    errs.push(required(path.child('selector')));
  } else {
    const selErrs = validateLabelSelector(sel, path.child('selector'));
    errs.push(...selErrs);
    const labels = isPlainObject(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0;
    const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
    if (labels + exprs === 0) {
      errs.push(invalid(path.child('selector'), goLabelSelector(sel), 'empty selector is invalid for statefulset'));
      check = false;
    }
    if (selErrs.length) {
      errs.push(invalid(path.child('selector'), goLabelSelector(sel), ''));
      check = false;
    }
  }
  if (check) {
    let matches = false;
    try {
      matches = isPlainObject(sel) && labelSelectorMatches(sel as LabelSelector, isPlainObject(tmeta.labels) ? (tmeta.labels as Record<string, string>) : undefined);
    } catch {
      matches = false;
    }
    if (!matches) errs.push(invalid(path.child('template', 'metadata', 'labels'), goStringMap(tmeta.labels), '`selector` does not match template `labels`'));
  }
  // Upstream's paths here skip `metadata` (spec.template.labels): kept for fidelity.
  errs.push(...validateLabels(isPlainObject(tmeta.labels) ? (tmeta.labels as Record<string, string>) : undefined, path.child('template', 'labels')));
  errs.push(...validateAnnotations(isPlainObject(tmeta.annotations) ? (tmeta.annotations as Record<string, string>) : undefined, path.child('template', 'annotations')));
  return errs;
}

export function validateStatefulSetSpec(spec: J, path: FieldPath = FieldPath.root('spec')): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = str(spec.podManagementPolicy);
  if (!pmp) errs.push(required(path.child('podManagementPolicy')));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid(path.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec, path.child('updateStrategy')));
  errs.push(...validateRetentionPolicy(spec.persistentVolumeClaimRetentionPolicy, path.child('persistentVolumeClaimRetentionPolicy')));
  errs.push(...validateNonnegative(spec.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  if (isPlainObject(spec.ordinals)) errs.push(...validateNonnegative(spec.ordinals.start, path.child('ordinals.start')));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  errs.push(...validateSelectorAndTemplate(spec, path));
  const template = isPlainObject(spec.template) ? spec.template : {};
  const pod = isPlainObject(template.spec) ? template.spec : {};
  if (pod.restartPolicy !== 'Always') errs.push(notSupported(path.child('template', 'spec', 'restartPolicy'), str(pod.restartPolicy), ['Always']));
  if (pod.activeDeadlineSeconds !== undefined && pod.activeDeadlineSeconds !== null) {
    errs.push(forbidden(path.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

export function validateStatefulSet(sts: KObject): FieldError[] {
  const errs = validateObjectMeta(sts.metadata, true, nameIsDNSLabel);
  errs.push(...validateStatefulSetSpec(specOf(sts)));
  return errs;
}

/** Go's zero values: an empty string, a null or an empty list is the same as nothing. */
function dropZeroValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(dropZeroValues) : undefined;
  if (!isPlainObject(v)) return v === '' || v === null ? undefined : v;
  const out: J = {};
  for (const [k, x] of Object.entries(v)) {
    const y = dropZeroValues(x);
    if (y !== undefined) out[k] = y;
  }
  return out;
}

/** Compares both (already defaulted) specs with the mutable fields masked out. */
export function immutableSpecChanged(newSpec: J, oldSpec: J): boolean {
  const mask = (s: J) => {
    const copy: J = { ...s };
    for (const f of STATEFULSET_MUTABLE_FIELDS) delete copy[f];
    return dropZeroValues(copy);
  };
  return !deepEqual(mask(newSpec), mask(oldSpec));
}

export function validateStatefulSetUpdate(sts: KObject, old: KObject): FieldError[] {
  // The name is not re-validated: older servers accepted DNS subdomains.
  const errs = validateObjectMetaUpdate(sts.metadata, old.metadata);
  errs.push(...validateStatefulSetSpec(specOf(sts)));
  if (immutableSpecChanged(specOf(sts), specOf(old))) errs.push(forbidden(FieldPath.root('spec'), STATEFULSET_FORBIDDEN_UPDATE));
  return errs;
}

// ---- status ----

const COUNTS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'];

export function validateStatefulSetStatus(status: unknown, path: FieldPath = FieldPath.root('status')): FieldError[] {
  const s = isPlainObject(status) ? status : {};
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  const errs: FieldError[] = [];
  for (const k of COUNTS) errs.push(...validateNonnegative(s[k], path.child(k)));
  errs.push(...validateNonnegative(s.observedGeneration, path.child('observedGeneration')));
  errs.push(...validateNonnegative(s.collisionCount, path.child('collisionCount')));
  const msg = 'cannot be greater than status.replicas';
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (n(k) > n('replicas')) errs.push(invalid(path.child(k), n(k), msg));
  }
  if (n('availableReplicas') > n('readyReplicas')) {
    errs.push(invalid(path.child('availableReplicas'), n('availableReplicas'), 'cannot be greater than status.readyReplicas'));
  }
  return errs;
}

export function validateStatefulSetStatusUpdate(sts: KObject, old: KObject): FieldError[] {
  const errs = validateStatefulSetStatus(sts.status);
  errs.push(...validateObjectMetaUpdate(sts.metadata, old.metadata));
  const cc = (o: KObject) => (isPlainObject(o.status) && typeof o.status.collisionCount === 'number' ? o.status.collisionCount : undefined);
  const now = cc(sts);
  const before = cc(old);
  if (before !== undefined && (now === undefined || now < before)) {
    errs.push(invalid(FieldPath.root('status').child('collisionCount'), now ?? 0, 'cannot be decremented'));
  }
  return errs;
}
