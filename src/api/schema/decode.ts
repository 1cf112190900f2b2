// Request-body decoding with server-side field validation (`fieldValidation=Strict|Warn|Ignore`),
// reproducing kube-apiserver's messages:
//   StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error: unknown field "spec.bogus"
//   StatefulSet in version "v1" cannot be handled as a StatefulSet: json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32
// Unknown fields are dropped in every mode (the typed round trip drops them upstream too);
// Strict turns them into a 400, Warn into warnings, Ignore into nothing.

import { badRequest, internalError } from '../errors.js';
import type { KObject } from '../object.js';
import { definitionNameOf } from './definitions.js';
import { JsonSyntaxError, duplicateFieldErrors, goValueKind, parseJsonTree, treeOf, type JNode } from './json-tree.js';
import { TypedDecodeError, decodeTyped } from './typed-decode.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What decoding needs to know about the endpoint's kind (a ResourceInfo fits). */
export interface KindInfo {
  group: string;
  version: string;
  kind: string;
}

export interface DecodeOptions {
  /**
   * Report unknown fields in sorted key order, as upstream does for patches (the patched
   * object is a Go map, re-encoded with sorted keys, before it is decoded).
   */
  sortKeys?: boolean;
  /** Strict errors found before decoding, e.g. duplicateFields(patchBody); reported first. */
  leadingErrors?: string[];
}

export interface Decoded {
  object: KObject;
  /** Warning texts (Warn mode), e.g. `unknown field "spec.bogus"`; not yet HTTP-quoted. */
  warnings: string[];
}

/** Upstream's default when the query parameter is absent is Warn; undefined for a bad value. */
export function fieldValidationOf(param: string | null | undefined): FieldValidation | undefined {
  if (param === null || param === undefined || param === '') return 'Warn';
  return param === 'Strict' || param === 'Warn' || param === 'Ignore' ? param : undefined;
}

const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** apiserver's summarizeData: the first 30 bytes of the body, as text if it looks like JSON. */
function summarize(text: string): string {
  const max = 30;
  if (text.length === 0) return '<empty>';
  if (text[0] === '{') return text.length > max ? `${text.slice(0, max)} ...` : text;
  const hex = Buffer.from(text.slice(0, max), 'utf8').toString('hex');
  return text.length > max ? `${hex} ...` : hex;
}

function unrecognized(kind: string, err: string, text: string) {
  return badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${err} (${summarize(text)})`);
}

/** The apiVersion/kind of the body, as apimachinery's meta.Interpret reads them. */
function interpret(root: JNode, info: KindInfo, text: string): { version: string; kind: string } {
  if (root.t !== 'obj') throw unrecognized(info.kind, `json: cannot unmarshal ${goValueKind(root)} into Go value of type ${FIND_KIND_TYPE}`, text);
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const [k, v] of root.entries) {
    if (k !== 'apiVersion' && k !== 'kind') continue;
    if (v.t === 'null') continue;
    if (v.t !== 'str') throw unrecognized(info.kind, `json: cannot unmarshal ${goValueKind(v)} into Go struct field .${k} of type string`, text);
    if (k === 'apiVersion') apiVersion = v.v;
    else kind = v.v;
  }
  const version = apiVersion ? (apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion) : info.version;
  return { version, kind: kind || info.kind };
}

function sortTree(node: JNode): JNode {
  if (node.t === 'obj') {
    const entries = node.entries.map(([k, v]): [string, JNode] => [k, sortTree(v)]);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { t: 'obj', entries };
  }
  if (node.t === 'arr') return { t: 'arr', items: node.items.map(sortTree) };
  return node;
}

/**
 * Decodes a request body (raw JSON text, a Buffer, or an already-parsed object) as the
 * endpoint's kind. Throws StatusError 400 BadRequest with upstream's message on a syntax
 * error, a wrong-typed field (any mode), or unknown/duplicate fields under Strict.
 */
export function decodeStrict(info: KindInfo, input: unknown, mode: FieldValidation = 'Warn', opts: DecodeOptions = {}): Decoded {
  const text = typeof input === 'string' ? input : Buffer.isBuffer(input) ? input.toString('utf8') : undefined;
  let root: JNode;
  try {
    root = text !== undefined ? parseJsonTree(text) : treeOf(input);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw unrecognized(info.kind, e.message, text ?? '');
    throw e;
  }
  const body = interpret(root, info, text ?? JSON.stringify(input));
  const prefix = `${body.kind} in version "${body.version}" cannot be handled as a ${info.kind}`;
  const defName = definitionNameOf(info);
  if (!defName) throw internalError(new Error(`no schema for ${info.group}/${info.version} ${info.kind}`));
  let decoded;
  try {
    decoded = decodeTyped(opts.sortKeys ? sortTree(root) : root, { $ref: `#/definitions/${defName}` }, mode !== 'Ignore');
  } catch (e) {
    if (e instanceof TypedDecodeError) throw badRequest(`${prefix}: ${e.message}`);
    throw e;
  }
  const errors = mode === 'Ignore' ? [] : [...new Set([...(opts.leadingErrors ?? []), ...decoded.strictErrors])];
  if (mode === 'Strict' && errors.length > 0) throw badRequest(`${prefix}: strict decoding error: ${errors.join(', ')}`);
  return { object: decoded.value as KObject, warnings: mode === 'Warn' ? errors : [] };
}

/**
 * Every duplicate key of a JSON text (e.g. a merge or strategic-merge patch body), as
 * `duplicate field "spec.paused"`; [] when the text is not valid JSON (the patch engine
 * reports that itself).
 */
export function duplicateFields(text: string): string[] {
  try {
    return duplicateFieldErrors(parseJsonTree(text));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return [];
    throw e;
  }
}
