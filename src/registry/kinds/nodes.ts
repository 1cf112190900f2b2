// Node (core/v1, cluster-scoped, status subresource). Unlike most kinds a Node may carry its
// status on create: the node agent registers itself with it.

import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, validateLabelName, isValidLabelValue } from '../validation/metadata.js';
import { arrayAt, stringAt } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
const SPEC = FieldPath.root('spec');
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaints(taints: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((raw, i) => {
    const t = isPlainObject(raw) ? raw : {};
    const p = path.index(i);
    const key = stringAt(t, 'key');
    errs.push(...validateLabelName(key, p.child('key')));
    const value = stringAt(t, 'value');
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(invalid(p.child('value'), value, valueErrs.join(';')));
    const effect = stringAt(t, 'effect');
    if (!effect) errs.push(required(p.child('effect')));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(p.child('effect'), effect, TAINT_EFFECTS));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) errs.push({ type: 'FieldValueDuplicate', field: p.toString(), value: t, hasValue: true, detail: 'taints must be unique by key and effect pair' });
    seen.add(id);
  });
  return errs;
}

function isCIDR(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (ip.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:]+$/.test(ip);
  return Number(bits) <= 32 && ip.split('.').length === 4 && ip.split('.').every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function validateNodeSpec(node: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const cidrs = arrayAt(node.spec, 'podCIDRs');
  cidrs.forEach((c, i) => {
    if (!isCIDR(String(c))) errs.push(invalid(SPEC.child('podCIDRs').index(i), c, 'must be a valid CIDR'));
  });
  if (cidrs.length > 2) errs.push(invalid(SPEC.child('podCIDRs'), cidrs, 'may specify no more than one CIDR for each IP family'));
  errs.push(...validateTaints(arrayAt(node.spec, 'taints'), SPEC.child('taints')));
  return errs;
}

function validateNodeUpdate(node: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const oldCIDRs = arrayAt(old.spec, 'podCIDRs');
  if (oldCIDRs.length && !deepEqual(arrayAt(node.spec, 'podCIDRs'), oldCIDRs)) {
    errs.push(forbidden(SPEC.child('podCIDRs'), 'node updates may not change podCIDR except from "" to valid'));
  }
  const oldProvider = stringAt(old.spec, 'providerID');
  if (oldProvider && stringAt(node.spec, 'providerID') !== oldProvider) {
    errs.push(forbidden(SPEC.child('providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export const nodeStrategy: Strategy = {
  hasStatusSubresource: true,
  defaults(obj) {
    const spec = isPlainObject(obj.spec) ? obj.spec : (obj.spec = {});
    // podCIDR mirrors podCIDRs[0] in v1.
    const cidrs = arrayAt(spec, 'podCIDRs');
    if (!cidrs.length && typeof spec.podCIDR === 'string' && spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
    else if (cidrs.length && !spec.podCIDR) spec.podCIDR = cidrs[0];
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, false, nameIsDNSSubdomain, META), ...validateNodeSpec(obj)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateNodeSpec(obj), ...validateNodeUpdate(obj, old)];
  },
  validateStatusUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, META);
  },
  fieldSelectorFields(obj) {
    return { 'spec.unschedulable': String(isPlainObject(obj.spec) && obj.spec.unschedulable === true) };
  },
};
