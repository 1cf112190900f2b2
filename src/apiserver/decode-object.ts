// From request bytes to an object of the resource's kind: parse, check apiVersion/kind
// against the URL, then decode against the schema under the requested field validation.

import type { IncomingMessage } from 'node:http';
import type { KObject } from '../api/object.js';
import { isPlainObject } from '../api/object.js';
import { badRequest } from '../api/errors.js';
import { groupVersion, type ResourceInfo } from '../api/resources.js';
import { decodeStrict, type DecodeOptions } from '../api/schema/decode.js';
import { decodeBody } from './body.js';
import { decodeProtobufObject } from './protobuf/decode.js';
import type { FieldValidation } from './query-options.js';

export interface Decoded {
  object: KObject;
  warnings: string[];
}

/** `expected` is the kind the URL implies: the resource's kind, or a subresource's (Scale, Binding). */
export function decodeRequestObject(
  req: IncomingMessage,
  body: Buffer,
  info: ResourceInfo,
  mode: FieldValidation,
  expected: { apiVersion: string; kind: string } = { apiVersion: groupVersion(info), kind: info.kind },
): Decoded {
  const decoded = decodeBody(req, body);
  if (decoded.kind === 'protobuf') {
    const pb = decodeProtobufObject(decoded.bytes);
    checkTypeMeta(pb.object, expected);
    return { object: { ...pb.object, apiVersion: pb.apiVersion, kind: pb.kind } as KObject, warnings: [] };
  }
  if (decoded.value === undefined) return decodeAgainstSchema(info, expected.kind, decoded.text, mode); // reports the syntax error
  if (isPlainObject(decoded.value)) checkTypeMeta(decoded.value, expected);
  return decodeAgainstSchema(info, expected.kind, decoded.text, mode);
}

export function decodeAgainstSchema(info: ResourceInfo, kind: string, input: string | object, mode: FieldValidation, opts: DecodeOptions = {}): Decoded {
  const out = decodeStrict({ group: kind === info.kind ? info.group : expectedGroup(kind, info), version: info.version, kind }, input, mode, opts);
  return { object: out.object as KObject, warnings: out.warnings };
}

function expectedGroup(kind: string, info: ResourceInfo): string {
  if (kind === 'Scale') return 'autoscaling';
  if (kind === 'Binding' || kind === 'DeleteOptions') return '';
  return info.group;
}

function checkTypeMeta(obj: Record<string, unknown>, expected: { apiVersion: string; kind: string }): void {
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof apiVersion === 'string' && apiVersion !== '' && apiVersion !== expected.apiVersion) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expected.apiVersion})`);
  }
  if (typeof kind === 'string' && kind !== '' && kind !== expected.kind) {
    throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${expected.kind})`);
  }
}
