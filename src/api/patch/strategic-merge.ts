// Strategic merge patch, server side, with upstream's semantics
// (k8s.io/apimachinery/pkg/util/strategicpatch): maps merge and `null` deletes; lists merge by
// their merge key or as sets of scalars, or are replaced when atomic; the directives `$patch`,
// `$retainKeys`, `$setElementOrder/<f>` and `$deleteFromPrimitiveList/<f>` are honoured and
// never stored. Where upstream would store a patch fragment verbatim (a value with no
// counterpart in the original), the fragment is first merged into an empty value, so its own
// directives take effect instead of leaking into the object.

import { clone, isPlainObject, type JsonObject } from '../object.js';
import { goString, jsonKindWord } from './go-format.js';
import { DIRECTIVE, dedupeScalars, elementKind, normalizeElementOrder, partition, validateSetOrder } from './list-order.js';
import { patchMetaFor, type ListPatchMeta, type PatchMeta } from './merge-keys.js';
import {
  ERR_BAD_PRIMITIVE_LIST,
  ERR_BAD_RETAIN_KEYS,
  ERR_BAD_SET_ELEMENT_ORDER,
  badArgType,
  badPatchType,
  badRequest,
  noMergeKey,
  serverError,
} from './patch-errors.js';

const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList';
const LIST_TYPE = '[]interface {}';

/**
 * Applies `patch` to `original` for an object of `kind`. Neither input is modified.
 * Throws a StatusError with upstream's code for a patch that cannot be applied.
 */
export function applyStrategicMergePatch(original: object, patch: unknown, kind: string): JsonObject {
  const base = clone(original) as JsonObject;
  if (patch === null) return base; // decodes to a nil map upstream: nothing to do
  if (!isPlainObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  return mergeMap(base, clone(patch), patchMetaFor(kind));
}

// Everything below works on private copies and may mutate both arguments.

function mergeMap(original: JsonObject | undefined, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (DIRECTIVE in patch) return mapDirective(patch, meta);
  const out = original ?? {};
  applyRetainKeys(out, patch);
  applySetElementOrder(out, patch, meta);

  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      deletions.push([fieldOf(key, DELETE_FROM_PRIMITIVE, ERR_BAD_PRIMITIVE_LIST), value]);
      continue;
    }
    if (key.startsWith('$')) continue; // an unknown directive is not a field
    if (value === null) {
      delete out[key];
      continue;
    }
    out[key] = key in out ? mergeValue(out[key], value, key, meta) : materialize(value, key, meta);
  }
  for (const [field, values] of deletions) deleteFromPrimitiveList(out, field, values);
  return out;
}

/** `$patch` on a map: `replace` keeps only the patch's content, `delete` empties it. */
function mapDirective(patch: JsonObject, meta: PatchMeta): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return mergeMap(undefined, patch, meta);
  }
  if (directive === 'delete') return {};
  throw badPatchType(goString(directive), patch);
}

function mergeValue(original: unknown, value: unknown, key: string, meta: PatchMeta): unknown {
  if (isPlainObject(original) && isPlainObject(value)) {
    const child = meta.child(key);
    return child.replace ? mergeMap(undefined, value, child) : mergeMap(original, value, child);
  }
  if (Array.isArray(original) && Array.isArray(value)) return mergeListField(original, value, key, meta);
  return materialize(value, key, meta); // scalars, and values whose type changed, are replaced
}

function mergeListField(original: unknown[], patch: unknown[], key: string, meta: PatchMeta): unknown[] {
  const lm = meta.list(key);
  if (lm.strategy === 'replace') return materializeList(patch, key, meta);
  return mergeList(original, patch, lm, meta.element(key));
}

function mergeList(original: unknown[], patch: unknown[], lm: ListPatchMeta, elem: PatchMeta): unknown[] {
  if (!original.length && !patch.length) return original;
  if (elementKind(original, patch) === 'scalar') {
    const merged = dedupeScalars([...original, ...patch]);
    const [inPatch, serverOnly] = partition(merged, patch, undefined);
    return normalizeElementOrder(inPatch, serverOnly, patch, original, undefined);
  }
  const mergeKey = lm.mergeKey;
  if (!mergeKey) {
    throw serverError(`cannot merge lists without merge key for type ${lm.strategy === 'merge-primitive' ? 'string' : 'struct'}`);
  }
  const special = applySpecialElements(original, patch, mergeKey, elem);
  const merged = mergeByKey(special.original, special.patch, mergeKey, elem);
  const [inPatch, serverOnly] = partition(merged, special.patch, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, special.patch, special.original, mergeKey);
}

/**
 * Handles list items carrying `$patch`: `delete` removes every original item with that key,
 * `replace` makes the remaining patch items the whole list.
 */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elem: PatchMeta): { original: unknown[]; patch: unknown[] } {
  const rest: unknown[] = [];
  let replace = false;
  let kept = original;
  for (const item of patch) {
    const m = item as JsonObject;
    if (!(DIRECTIVE in m)) {
      rest.push(m);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
      kept = kept.filter((o) => !(isPlainObject(o) && mergeKey in o && o[mergeKey] === m[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw serverError('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(goString(directive), m);
    }
  }
  if (replace) return { original: rest.map((v) => mergeMap(undefined, v as JsonObject, elem)), patch: [] };
  return { original: kept, patch: rest };
}

function mergeByKey(original: unknown[], patch: unknown[], mergeKey: string, elem: PatchMeta): unknown[] {
  const out = [...original];
  for (const item of patch) {
    const m = item as JsonObject;
    if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
    const i = out.findIndex((o) => isPlainObject(o) && mergeKey in o && o[mergeKey] === m[mergeKey]);
    if (i >= 0) out[i] = mergeMap(out[i] as JsonObject, m, elem);
    else out.push(mergeMap(undefined, m, elem));
  }
  return out;
}

/** A patch value with no counterpart in the original, with its directives applied. */
function materialize(value: unknown, key: string, meta: PatchMeta): unknown {
  if (isPlainObject(value)) return mergeMap(undefined, value, meta.child(key));
  if (Array.isArray(value)) return materializeList(value, key, meta);
  return value;
}

function materializeList(list: unknown[], key: string, meta: PatchMeta): unknown[] {
  const lm = meta.list(key);
  const elem = meta.element(key);
  const out: unknown[] = [];
  for (const item of list) {
    if (!isPlainObject(item)) {
      out.push(item);
      continue;
    }
    // In a merge list, deletions and the replace marker say nothing about an empty list.
    const directive = item[DIRECTIVE];
    if (lm.strategy !== 'replace' && (directive === 'delete' || directive === 'replace')) continue;
    out.push(mergeMap(undefined, item, elem));
  }
  return out;
}

/**
 * `$retainKeys: [...]`: every key the patch sets must be listed, and keys of the original not
 * listed are dropped (used by volumes when a volume changes its source type).
 */
function applyRetainKeys(out: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const keys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keys)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  const retained = new Set<unknown>(keys);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!retained.has(k)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(out)) if (!retained.has(k)) delete out[k];
}

/**
 * `$setElementOrder/<field>`: merge the field's list now, then order it as the directive says
 * (server-only items keep their relative place). The list is removed from the patch.
 */
function applySetElementOrder(out: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType(LIST_TYPE, order);
    const field = fieldOf(key, SET_ORDER, ERR_BAD_SET_ELEMENT_ORDER);
    const hasOriginal = field in out;
    const hasPatch = field in patch;
    const original = out[field];
    const patchList = patch[field];
    if (hasOriginal && !Array.isArray(original)) throw badArgType(LIST_TYPE, original);
    if (hasPatch && !Array.isArray(patchList)) throw badArgType(LIST_TYPE, patchList);
    if (!hasOriginal && !hasPatch) continue;
    const originalList = (original ?? []) as unknown[];
    const patchItems = (patchList ?? []) as unknown[];
    delete patch[field];

    const lm = meta.list(field);
    validateSetOrder(patchItems, order, lm.mergeKey);
    let merged: unknown[];
    if (!hasPatch) merged = originalList;
    else if (!hasOriginal) merged = materializeList(patchItems, field, meta);
    else merged = mergeListField(originalList, patchItems, field, meta);

    if (lm.strategy === 'replace' || (!originalList.length && !patchItems.length)) {
      out[field] = merged;
      continue;
    }
    const mergeKey = elementKind(originalList, patchItems) === 'map' ? lm.mergeKey : undefined;
    const [inOrder, serverOnly] = partition(merged, order, mergeKey);
    out[field] = normalizeElementOrder(inOrder, serverOnly, order, originalList, mergeKey);
  }
}

/** `$deleteFromPrimitiveList/<field>: [...]` removes those values from a list of scalars. */
function deleteFromPrimitiveList(out: JsonObject, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw badRequest(ERR_BAD_PRIMITIVE_LIST);
  const current = out[field];
  // Upstream would store the deletion list itself when the field is absent; nothing to delete is right.
  if (!Array.isArray(current)) return;
  out[field] = current.filter((v) => !values.some((d) => d === v));
}

/** `$setElementOrder/containers` → `containers`. */
function fieldOf(key: string, prefix: string, formatError: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(formatError);
  return key.slice(slash + 1);
}
