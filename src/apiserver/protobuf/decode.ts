// Entry point for `Content-Type: application/vnd.kubernetes.protobuf` request bodies.
// The envelope is the 4-byte magic `k8s\0` followed by a runtime.Unknown message whose
// typeMeta names the kind and whose `raw` bytes hold the object itself.

import { StatusError, badRequest } from '../../api/errors.js';
import { decodeConfigMap, decodeNamespace, decodeSecret, decodeService, decodeServiceAccount } from './core-v1.js';
import type { JsonObject } from './meta.js';
import { type Field, ProtobufDecodeError, bytes, msg, readFields, str } from './wire.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type KindDecoder = (fields: Field[]) => JsonObject;

const DECODERS: Record<string, KindDecoder> = {
  'v1/Namespace': decodeNamespace,
  'v1/ConfigMap': decodeConfigMap,
  'v1/Secret': decodeSecret,
  'v1/Service': decodeService,
  'v1/ServiceAccount': decodeServiceAccount,
};

export function canDecodeProtobufKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in DECODERS;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
}

function readEnvelope(body: Buffer): Envelope {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '' };
  for (const f of readFields(body.subarray(MAGIC.length))) {
    if (f.num === 1) {
      for (const t of msg(f)) {
        if (t.num === 1) env.apiVersion = str(t);
        else if (t.num === 2) env.kind = str(t);
      }
    } else if (f.num === 2) env.raw = bytes(f);
    else if (f.num === 3) env.contentEncoding = str(f);
  }
  return env;
}

function unsupportedKind(apiVersion: string, kind: string): StatusError {
  const what = kind ? `kind "${kind}" in version "${apiVersion}"` : 'an object without a kind';
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - ${what} cannot be decoded from ${PROTOBUF_MEDIA_TYPE}; accepted media types include: application/json, application/yaml`,
  );
}

/**
 * Turns a protobuf request body into the object its JSON equivalent would have produced
 * (apiVersion and kind first, zero values omitted). Malformed bodies are 400 BadRequest;
 * well-formed bodies of kinds this server cannot decode are 415 so the client sees
 * UnsupportedMediaType rather than a misleading validation error.
 */
export function decodeProtobufObject(body: Buffer): { apiVersion: string; kind: string; object: Record<string, unknown> } {
  let env: Envelope;
  try {
    env = readEnvelope(body);
  } catch (err) {
    throw wrapDecodeError(err);
  }
  if (env.contentEncoding !== '') {
    throw new StatusError(415, 'UnsupportedMediaType', `unsupported protobuf content encoding "${env.contentEncoding}"`);
  }
  const decode = DECODERS[`${env.apiVersion}/${env.kind}`];
  if (!decode) throw unsupportedKind(env.apiVersion, env.kind);
  try {
    const object = { apiVersion: env.apiVersion, kind: env.kind, ...decode(readFields(env.raw)) };
    return { apiVersion: env.apiVersion, kind: env.kind, object };
  } catch (err) {
    throw wrapDecodeError(err);
  }
}

function wrapDecodeError(err: unknown): Error {
  if (err instanceof ProtobufDecodeError || err instanceof SyntaxError) {
    return badRequest(`unable to decode protobuf request body: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
