// PersistentVolumeClaim (core/v1): defaults, spec validation, and the "immutable except
// resources.requests for bound claims" update rule.

import { deepEqual, isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { parseQuantity, compareQuantities } from '../../api/quantity.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { arrayAt, canonicalizeResourceList, ensureObject, objectAt, stringAt, validatePositiveQuantity } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

export function validateAccessModes(modes: unknown[], path: FieldPath, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!modes.length) errs.push(required(path, requiredDetail));
  for (const m of modes) if (typeof m !== 'string' || !ACCESS_MODES.includes(m)) errs.push(notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validateVolumeMode(mode: unknown, path: FieldPath): FieldError[] {
  if (mode == null) return [];
  return typeof mode === 'string' && VOLUME_MODES.includes(mode) ? [] : [notSupported(path, mode, VOLUME_MODES)];
}

/** ValidatePersistentVolumeClaimSpec's main rules. */
export function validateClaimSpec(spec: JsonObject, path: FieldPath): FieldError[] {
  const errs = validateAccessModes(arrayAt(spec, 'accessModes'), path.child('accessModes'), 'at least 1 access mode is required');
  const storagePath = path.child('resources').key('storage');
  const requests = objectAt(objectAt(spec, 'resources'), 'requests');
  if (!requests || requests.storage === undefined) errs.push(required(storagePath));
  else errs.push(...validatePositiveQuantity(requests.storage, storagePath));
  const cls = spec.storageClassName;
  if (typeof cls === 'string' && cls.length) {
    for (const m of nameIsDNSSubdomain(cls, false)) errs.push(invalid(path.child('storageClassName'), cls, m));
  }
  errs.push(...validateVolumeMode(spec.volumeMode, path.child('volumeMode')));
  return errs;
}

function storageRequest(obj: KObject): string | undefined {
  const v = objectAt(objectAt(objectAt(obj, 'spec'), 'resources'), 'requests')?.storage;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function validateClaimUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const newSpec = structuredClone(isPlainObject(obj.spec) ? obj.spec : {});
  const oldSpec = structuredClone(isPlainObject(old.spec) ? old.spec : {});
  // The binder may set volumeName once.
  if (!oldSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
  // A storage class may be set on a claim that had none.
  if (oldSpec.storageClassName == null && newSpec.storageClassName != null) oldSpec.storageClassName = newSpec.storageClassName;
  // Bound claims may be resized.
  if (stringAt(obj.status, 'phase') === 'Bound') {
    const req = objectAt(objectAt(newSpec, 'resources'), 'requests');
    const oldReq = objectAt(objectAt(oldSpec, 'resources'), 'requests');
    if (req) req.storage = oldReq?.storage;
  }
  newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!deepEqual(newSpec, oldSpec)) {
    errs.push(forbidden(FieldPath.root('spec'), 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = parseQuantity(storageRequest(obj) ?? '');
  const oldSize = parseQuantity(storageRequest(old) ?? '');
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) {
    const capacity = objectAt(objectAt(old, 'status'), 'capacity')?.storage;
    const statusSize = typeof capacity === 'string' ? parseQuantity(capacity) : undefined;
    // Shrinking back toward the recorded capacity recovers from a failed expansion.
    if (!statusSize || compareQuantities(newSize, statusSize) <= 0) {
      errs.push(forbidden(FieldPath.root('spec').child('resources', 'requests', 'storage'), 'field can not be less than status.capacity'));
    }
  }
  return errs;
}

export const persistentVolumeClaimStrategy: Strategy = {
  hasStatusSubresource: true,
  defaults(obj) {
    const spec = ensureObject(obj, 'spec');
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    const resources = objectAt(spec, 'resources');
    canonicalizeResourceList(objectAt(resources, 'requests'));
    canonicalizeResourceList(objectAt(resources, 'limits'));
    canonicalizeResourceList(objectAt(obj.status, 'capacity'));
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  validate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META),
      ...validateClaimSpec(isPlainObject(obj.spec) ? obj.spec : {}, FieldPath.root('spec')),
    ];
  },
  validateUpdate(obj, old) {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata, META),
      ...validateClaimSpec(isPlainObject(obj.spec) ? obj.spec : {}, FieldPath.root('spec')),
      ...validateClaimUpdate(obj, old),
    ];
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, META);
    const capacity = objectAt(obj.status, 'capacity');
    for (const [k, v] of Object.entries(capacity ?? {})) {
      if (!parseQuantity(String(v))) errs.push(invalid(FieldPath.root('status').child('capacity').key(k), v, 'must be a valid quantity'));
    }
    return errs;
  },
};
