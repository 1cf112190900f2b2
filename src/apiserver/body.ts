// Reading and decoding request bodies: a size limit like upstream's (3 MiB), then JSON,
// YAML or Kubernetes protobuf by Content-Type.

import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, StatusError, unsupportedMediaType } from '../api/errors.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      // Drain so the client sees our answer rather than a reset connection.
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function tooLarge(limit: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `value` is undefined when the text is not valid JSON; the schema decoder words that error. */
export type DecodedBody = { kind: 'json'; text: string; value: unknown } | { kind: 'protobuf'; bytes: Buffer };

/** Parses a non-patch body. JSON is the default: kubectl's scale PUT sends no Content-Type. */
export function decodeBody(req: IncomingMessage, body: Buffer): DecodedBody {
  const type = mediaType(req);
  if (type === 'application/vnd.kubernetes.protobuf') return { kind: 'protobuf', bytes: body };
  const text = body.toString('utf8');
  if (type === '' || type === 'application/json' || type === '*/*') return { kind: 'json', text, value: tryParseJson(text) };
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    return { kind: 'json', text: JSON.stringify(value), value };
  }
  throw unsupportedMediaType(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Upstream's wording around the parser's own message (which is Go's there, V8's here).
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
