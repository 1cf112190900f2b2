// JSON patch (RFC 6902) as the apiserver applies it (evanphx/json-patch v4): add, remove,
// replace, move, copy, test; `~0`/`~1` escapes; `-` appends; negative indices count from the
// end. Any operation that does not apply answers upstream's bare 422; a body that is not a
// list of operations answers 400; more than 10000 operations answers 413.

import { deepEqual, clone, isPlainObject, type JsonObject } from '../object.js';
import { StatusError } from '../errors.js';
import { jsonKindWord } from './go-format.js';
import { badRequest, notAnObject, rejected } from './patch-errors.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | unknown[];

/** Applies the operations in `ops` to `original`. Neither input is modified. */
export function applyJsonPatch(original: object, ops: unknown): JsonObject {
  if (ops === null) return clone(original) as JsonObject; // decodes to an empty patch upstream
  if (!Array.isArray(ops)) throw badRequest(`json: cannot unmarshal ${jsonKindWord(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (!isPlainObject(op)) throw badRequest(`json: cannot unmarshal ${jsonKindWord(op)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  const root = { doc: clone(original) as unknown };
  for (const op of ops as JsonObject[]) applyOperation(root, clone(op));
  if (!isPlainObject(root.doc)) throw notAnObject(root.doc, `json: cannot unmarshal ${jsonKindWord(root.doc)} into Go value of type map[string]interface {}`);
  return root.doc;
}

function applyOperation(root: { doc: unknown }, op: JsonObject): void {
  const path = op.path;
  if (typeof path !== 'string') throw rejected();
  const value = op.value === undefined ? null : op.value;
  switch (op.op) {
    case 'add':
      add(locate(root.doc, path), value);
      return;
    case 'remove':
      remove(locate(root.doc, path));
      return;
    case 'replace':
      if (path === '') {
        if (!isPlainObject(value) && !Array.isArray(value)) throw rejected();
        root.doc = value;
        return;
      }
      replace(locate(root.doc, path), value);
      return;
    case 'move': {
      const from = locate(root.doc, fromOf(op));
      const moved = get(from);
      if (moved === undefined) throw rejected();
      remove(from);
      add(locate(root.doc, path), moved);
      return;
    }
    case 'copy': {
      const copied = get(locate(root.doc, fromOf(op)));
      if (copied === undefined) throw rejected();
      add(locate(root.doc, path), clone(copied));
      return;
    }
    case 'test': {
      const actual = path === '' ? root.doc : get(locate(root.doc, path));
      if (actual === undefined || actual === null) {
        if (value === null) return;
        throw rejected();
      }
      if (!deepEqual(actual, value)) throw rejected();
      return;
    }
    default:
      throw rejected();
  }
}

function fromOf(op: JsonObject): string {
  if (typeof op.from !== 'string') throw rejected();
  return op.from;
}

interface Location {
  parent: Container;
  key: string;
}

const unescape = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** Go's strconv.Atoi accepts an optional sign and leading zeros. */
function parseIndex(token: string): number {
  if (!/^[+-]?\d+$/.test(token)) throw rejected();
  return Number(token);
}

/** An existing array index, negative ones counted from the end. */
function arrayIndex(list: unknown[], token: string): number {
  let i = parseIndex(token);
  if (i >= list.length || i < -list.length) throw rejected();
  if (i < 0) i += list.length;
  return i;
}

/** The container holding the last token of `path` (which must exist up to there). */
function locate(doc: unknown, path: string): Location {
  const tokens = path.split('/');
  if (tokens.length < 2) throw rejected();
  let current: unknown = doc;
  for (const raw of tokens.slice(1, -1)) {
    const token = unescape(raw);
    let next: unknown;
    if (Array.isArray(current)) next = current[arrayIndex(current, token)];
    else if (isPlainObject(current)) next = current[token];
    if (!isPlainObject(next) && !Array.isArray(next)) throw rejected();
    current = next;
  }
  if (!isPlainObject(current) && !Array.isArray(current)) throw rejected();
  return { parent: current, key: unescape(tokens[tokens.length - 1]) };
}

function get({ parent, key }: Location): unknown {
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key)];
  return Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : undefined;
}

function add({ parent, key }: Location, value: unknown): void {
  if (!Array.isArray(parent)) {
    parent[key] = value;
    return;
  }
  if (key === '-') {
    parent.push(value);
    return;
  }
  let i = parseIndex(key);
  const size = parent.length + 1;
  if (i >= size || i < -size) throw rejected();
  if (i < 0) i += size;
  parent.splice(i, 0, value);
}

function remove({ parent, key }: Location): void {
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, key), 1);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) throw rejected();
  delete parent[key];
}

function replace({ parent, key }: Location, value: unknown): void {
  if (Array.isArray(parent)) parent[arrayIndex(parent, key)] = value;
  else parent[key] = value; // v4 replaces a missing object key too
}
