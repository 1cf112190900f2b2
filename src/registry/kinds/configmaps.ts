// ConfigMap (core/v1): key names, the 1 MiB size limit, and `immutable`.

import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { FieldPath, forbidden, invalid, tooLong, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { isConfigMapKey, sortedKeys } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
export const MAX_SECRET_SIZE = 1024 * 1024;

/** binaryData travels base64-encoded; its size is the decoded size. */
export const decodedSize = (v: unknown) => Buffer.from(String(v ?? ''), 'base64').length;

function validateConfigMapData(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = isPlainObject(obj.data) ? obj.data : {};
  const binary = isPlainObject(obj.binaryData) ? obj.binaryData : {};
  let total = 0;
  for (const k of sortedKeys(data)) {
    const path = FieldPath.root('data').key(k);
    for (const m of isConfigMapKey(k)) errs.push(invalid(path, k, m));
    if (k in binary) errs.push(invalid(path, k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(data[k] ?? ''));
  }
  for (const k of sortedKeys(binary)) {
    const path = FieldPath.root('binaryData').key(k);
    for (const m of isConfigMapKey(k)) errs.push(invalid(path, k, m));
    if (k in data) errs.push(invalid(path, k, 'duplicate of key present in data'));
    total += decodedSize(binary[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(FieldPath.root(''), MAX_SECRET_SIZE));
  return errs;
}

/** Shared by ConfigMap and Secret: an object marked immutable keeps its data and the mark. */
export function validateImmutableData(obj: KObject, old: KObject, dataFields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  const detail = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), detail));
  for (const f of dataFields) if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(FieldPath.root(f), detail));
  return errs;
}

export const configMapStrategy: Strategy = {
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META), ...validateConfigMapData(obj)];
  },
  validateUpdate(obj, old) {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata, META),
      ...validateImmutableData(obj, old, ['data', 'binaryData']),
      ...validateConfigMapData(obj),
    ];
  },
};
