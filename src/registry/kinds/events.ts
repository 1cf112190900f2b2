// Event (core/v1; events.k8s.io/v1 objects are stored in this shape too). Upstream validates
// core/v1 writes leniently ("legacy" rules) for compatibility; those are the rules here.

import type { KObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { FieldPath, invalid, required, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMetaUpdate, isDNS1123Subdomain, isQualifiedName } from '../validation/metadata.js';
import { objectAt, stringAt } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };

function involvedNamespaceErrors(ev: KObject): FieldError[] {
  const involvedNs = stringAt(ev.involvedObject, 'namespace');
  const ns = ev.metadata.namespace ?? '';
  const path = FieldPath.root('involvedObject').child('namespace');
  const mismatch = invalid(path, involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    // Old-style events: namespaces must agree ("default" tolerated for cluster-scoped objects).
    if (!involvedNs) return ns && ns !== 'default' ? [mismatch] : [];
    return ns !== involvedNs ? [mismatch] : [];
  }
  return !involvedNs && ns !== 'default' && ns !== 'kube-system' ? [mismatch] : [];
}

/** New-style events (eventTime set) must say who reported them and what happened. */
function newStyleErrors(ev: KObject): FieldError[] {
  if (!ev.eventTime) return [];
  const errs: FieldError[] = [];
  const controller = stringAt(ev, 'reportingComponent');
  const cpath = FieldPath.root('reportingComponent');
  if (!controller) errs.push(required(cpath));
  for (const m of isQualifiedName(controller)) errs.push(invalid(cpath, controller, m));
  const lengthRule = (field: keyof typeof LIMITS, requiredToo: boolean) => {
    const v = stringAt(ev, field);
    if (requiredToo && !v) errs.push(required(FieldPath.root(field)));
    if (v.length > LIMITS[field]) errs.push(invalid(FieldPath.root(field), '', `can have at most ${LIMITS[field]} characters`));
  };
  lengthRule('reportingInstance', true);
  lengthRule('action', true);
  lengthRule('reason', true);
  lengthRule('message', false);
  return errs;
}

function validateEvent(ev: KObject): FieldError[] {
  const errs = [...involvedNamespaceErrors(ev), ...newStyleErrors(ev)];
  const ns = ev.metadata.namespace ?? '';
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid(FieldPath.root('namespace'), ns, m));
  return errs;
}

export const eventStrategy: Strategy = {
  validate(obj) {
    const errs: FieldError[] = [];
    if (!obj.metadata.name) errs.push(required(META.child('name'), 'name or generateName is required'));
    return [...errs, ...validateEvent(obj)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateEvent(obj)];
  },
  fieldSelectorFields(obj) {
    const io = isPlainObject(obj.involvedObject) ? obj.involvedObject : {};
    return {
      'involvedObject.kind': stringAt(io, 'kind'),
      'involvedObject.namespace': stringAt(io, 'namespace'),
      'involvedObject.name': stringAt(io, 'name'),
      'involvedObject.uid': stringAt(io, 'uid'),
      'involvedObject.apiVersion': stringAt(io, 'apiVersion'),
      'involvedObject.resourceVersion': stringAt(io, 'resourceVersion'),
      'involvedObject.fieldPath': stringAt(io, 'fieldPath'),
      reason: stringAt(obj, 'reason'),
      reportingComponent: stringAt(obj, 'reportingComponent'),
      source: stringAt(objectAt(obj, 'source'), 'component'),
      type: stringAt(obj, 'type'),
    };
  },
};
