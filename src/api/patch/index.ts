// The PATCH entry point shared by the HTTP handlers and the in-process client: picks the
// engine from the request's Content-Type, as the apiserver does, and answers 415 for the
// rest. Server-side apply is not served yet, so its media type is refused with a 415 that
// says so.

import type { JsonObject } from '../object.js';
import { StatusError, badRequest } from '../errors.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { ERR_BAD_JSON_PATCH } from './patch-errors.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_YAML = 'application/apply-patch+yaml';
export const APPLY_PATCH_CBOR = 'application/apply-patch+cbor';

/** The patch media types served, in the order upstream lists them in its 415 message. */
export const SERVED_PATCH_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];

export type PatchType = 'json' | 'merge' | 'strategic';

function unknownFormat(suffix = ''): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${SERVED_PATCH_TYPES.join(', ')}${suffix}`,
  );
}

/** `application/merge-patch+json; charset=utf-8` → 'merge'; throws 415 for anything not served. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (mediaType) {
    case JSON_PATCH:
      return 'json';
    case MERGE_PATCH:
      return 'merge';
    case STRATEGIC_MERGE_PATCH:
      return 'strategic';
    case APPLY_PATCH_YAML:
    case APPLY_PATCH_CBOR:
      throw unknownFormat(`; server-side apply (${mediaType}) is not supported by this server yet`);
    default:
      throw unknownFormat();
  }
}

/**
 * A raw request body as the engines want it. Decoding failures answer 400 the way each
 * upstream engine words them (merge patch: "Invalid JSON Patch"; the others: the decoder's error).
 */
export function decodePatchBody(type: PatchType, raw: string | Uint8Array): unknown {
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  try {
    return JSON.parse(text);
  } catch (e) {
    if (type === 'merge') throw badRequest(ERR_BAD_JSON_PATCH);
    throw badRequest(goSyntaxError(text, e));
  }
}

/**
 * encoding/json's wording for the common syntax errors, recovered from V8's message. The
 * context words after "invalid character" are approximate (Go says e.g. "after object key").
 */
function goSyntaxError(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : '';
  if (!text.trim() || /end of JSON input/.test(msg)) return 'unexpected end of JSON input';
  const trailing = /after JSON at position (\d+)/.exec(msg);
  if (trailing) return `invalid character '${text[Number(trailing[1])]}' after top-level value`;
  const token = /Unexpected token '?(.)'?/.exec(msg) ?? /Unexpected token (.)/.exec(msg);
  if (token) return `invalid character '${token[1]}' looking for beginning of value`;
  return msg;
}

/**
 * Applies a PATCH body to `original` (an object of `kind`) and returns the patched object;
 * neither input is modified. `patchBody` is the decoded JSON (a string is a JSON string
 * value, not a body), or the raw body as bytes, which is decoded here.
 * Errors are StatusErrors carrying upstream's code, reason and message.
 */
export function applyPatch(contentType: string | undefined, original: object, patchBody: unknown, kind: string): JsonObject {
  const type = patchTypeOf(contentType);
  const body = patchBody instanceof Uint8Array ? decodePatchBody(type, patchBody) : patchBody;
  switch (type) {
    case 'json':
      return applyJsonPatch(original, body);
    case 'merge':
      return applyMergePatch(original, body);
    case 'strategic':
      return applyStrategicMergePatch(original, body, kind);
  }
}

export { applyJsonPatch, applyMergePatch, applyStrategicMergePatch };
export { patchMetaFor, PatchMeta, type ListPatchMeta, type ListStrategy } from './merge-keys.js';
