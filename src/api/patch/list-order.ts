// Element ordering for merged lists, as upstream's strategic merge does it: items named in the
// patch (or in `$setElementOrder`) keep the patch's order, items only on the server keep the
// server's order, and the two are interleaved using the server's order where both are known.
// New items therefore land next to their neighbours rather than always at the end.

import { isPlainObject } from '../object.js';
import { goFormat } from './go-format.js';
import { badArgType, noMergeKey, rejected, serverError } from './patch-errors.js';

export const DIRECTIVE = '$patch';

/** 'map' for lists of objects, 'scalar' otherwise; upstream rejects lists of lists and mixed lists. */
export function elementKind(...lists: unknown[][]): 'map' | 'scalar' {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = Array.isArray(v) ? 'list' : isPlainObject(v) ? 'map' : v === null ? 'nil' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v;
      if (prev === undefined) {
        // upstream maps ErrNoListOfLists ("lists of lists are not supported") to a bare 422
        if (t === 'list') throw rejected();
        prev = t;
      } else if (prev !== t) {
        throw serverError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (prev === undefined) throw serverError('no elements in any of the given slices');
  return prev === 'map' ? 'map' : 'scalar';
}

/** The value an item is identified by: its merge key for objects, itself for scalars. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  return isPlainObject(item) ? (item[mergeKey] ?? null) : null;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey);
  return list.findIndex((v) => identity(v, mergeKey) === id);
}

/** Splits `list` into the items present in `by` and the rest, both in `list`'s order. */
export function partition(list: unknown[], by: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const v of list) {
    if (mergeKey !== undefined) {
      if (!isPlainObject(v)) throw badArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw noMergeKey(v, mergeKey);
    }
    (indexIn(by, v, mergeKey) >= 0 ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

function validateMergeKeys(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isPlainObject(item)) throw badArgType('map[string]interface {}', item);
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
    }
  }
}

const isDeletion = (v: unknown): boolean => isPlainObject(v) && v[DIRECTIVE] === 'delete';

/**
 * Sorts `toSort` by the positions its items have in `order`. Go's stable sort over a
 * comparator that calls unknown items "less" is an insertion sort for short lists; doing the
 * same keeps the odd cases (items missing from `order`) identical.
 */
function sortByOrder(toSort: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  let items = [...toSort];
  let deletions: unknown[] = [];
  if (mergeKey !== undefined) {
    validateMergeKeys(mergeKey, items, order);
    deletions = items.filter(isDeletion);
    items = items.filter((v) => !isDeletion(v));
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey);
    if (ia < 0) return true;
    const ib = indexIn(order, b, mergeKey);
    return ib < 0 ? true : ia < ib;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      [items[j], items[j - 1]] = [items[j - 1], items[j]];
    }
  }
  return [...items, ...deletions];
}

/** Interleaves server-only items into the patch items, using the server order where both are known. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const p = sortByOrder(patchItems, patchOrder, mergeKey);
  const s = sortByOrder(serverOnly, serverOrder, mergeKey);
  return mergeSorted(s, p, serverOrder, mergeKey);
}

/** Upstream's in-place de-duplication: a duplicate's slot is filled by the last item. */
export function dedupeScalars(input: unknown[]): unknown[] {
  const s = [...input];
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (s[i] === s[j]) {
        s[j] = s[last];
        s.length = last;
        last--;
        j--;
      }
    }
  }
  return s;
}

/**
 * The items of a patch list must appear in `$setElementOrder` in the same relative order
 * (deletions and other directive items aside), or upstream refuses the patch.
 */
export function validateSetOrder(patchList: unknown[], setOrder: unknown[], mergeKey: string | undefined): void {
  if (!setOrder.length || !patchList.length) return;
  let items = patchList;
  if (mergeKey !== undefined) {
    for (const v of patchList) if (!isPlainObject(v)) throw badArgType('map[string]interface {}', v);
    items = patchList.filter((v) => !isDeletion(v));
  }
  const sameItem = (a: unknown, b: unknown): boolean => {
    if (mergeKey === undefined) return a === b;
    if (!isPlainObject(a)) throw badArgType('map[string]interface {}', a);
    if (!isPlainObject(b)) throw badArgType('map[string]interface {}', b);
    if (!(mergeKey in a)) throw noMergeKey(a, mergeKey);
    if (!(mergeKey in b)) throw noMergeKey(b, mergeKey);
    return a[mergeKey] === b[mergeKey];
  };
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < setOrder.length) {
    const item = items[pi];
    if (isPlainObject(item) && DIRECTIVE in item) {
      pi++;
      continue;
    }
    if (sameItem(item, setOrder[si])) pi++;
    si++;
  }
  if (pi < items.length) {
    throw serverError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match $setElementOrder list:\n${goFormat(setOrder)}\n`);
  }
}
