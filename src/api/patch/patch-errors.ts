// The Status errors the apiserver's PATCH handler produces when a patch cannot be applied,
// with the codes upstream picks (handlers/patch.go: interpretStrategicMergePatchError and the
// JSON-patch path): 400 for malformed directives, 422 with a fixed text for patches that do
// not apply, and a reason-less 500 for errors upstream never converted to a Status.

import { StatusError, badRequest } from '../errors.js';
import { goFormat, goTypeName } from './go-format.js';

export const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
export const ERR_BAD_JSON_PATCH = 'Invalid JSON Patch';

/** What NewGenericServerResponse(422, …) says: the underlying reason is not shown. */
export const REJECTED_MESSAGE = 'the server rejected our request due to an error in our request';

export function rejected(): StatusError {
  return new StatusError(422, 'Invalid', REJECTED_MESSAGE, {});
}

export { badRequest };

/** A plain Go error surfacing from the patch code: the apiserver answers 500 with no reason. */
export function serverError(message: string): StatusError {
  return new StatusError(500, undefined, message);
}

export function noMergeKey(m: unknown, key: string): StatusError {
  return serverError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

export function badArgType(expected: string, actual: unknown): StatusError {
  return serverError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

export function badPatchType(directive: string, m: unknown): StatusError {
  return serverError(`unknown patch type: ${directive} in map: ${goFormat(m)}`);
}

/**
 * The patched document does not decode into the kind (e.g. a JSON patch replaced the root
 * with an array): upstream answers 422 Invalid on the field `patch`.
 */
export function notAnObject(patched: unknown, why: string): StatusError {
  const detail = `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${why}`;
  return new StatusError(422, 'Invalid', ` "" is invalid: patch: ${detail}`, {
    causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'patch' }],
  });
}
