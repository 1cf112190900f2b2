// JSON merge patch (RFC 7386) as the apiserver applies it (evanphx/json-patch MergePatch):
// objects merge recursively, `null` removes a key, anything else replaces. Nulls inside a
// value that is added or replaces a non-object are pruned from objects (not from arrays).

import { clone, isPlainObject, type JsonObject } from '../object.js';
import { ERR_BAD_JSON_PATCH, badRequest, notAnObject } from './patch-errors.js';

/** Applies `patch` to `original`. Neither input is modified. */
export function applyMergePatch(original: object, patch: unknown): JsonObject {
  if (Array.isArray(patch)) throw notAnObject(patch, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  if (!isPlainObject(patch)) throw badRequest(ERR_BAD_JSON_PATCH); // null and scalars
  return mergeInto(clone(original) as JsonObject, clone(patch));
}

function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = doc[key];
    if (current === undefined || current === null || !isPlainObject(current)) {
      doc[key] = pruneNulls(value);
    } else if (isPlainObject(value)) {
      doc[key] = mergeInto(current, value);
    } else {
      doc[key] = value;
    }
  }
  return doc;
}

function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : pruneNulls(v)));
  if (!isPlainObject(value)) return value;
  for (const [k, v] of Object.entries(value)) {
    if (v === null) delete value[k];
    else value[k] = pruneNulls(v);
  }
  return value;
}
