// Writing responses: JSON objects, Status errors, and the Warning header.

import type { ServerResponse } from 'node:http';
import { internalError, StatusError } from '../api/errors.js';

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return internalError(err);
}

export function writeError(res: ServerResponse, err: unknown): void {
  const se = toStatusError(err);
  if (se.code >= 500) console.error('ordinal: internal error:', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJson(res, se.code, se.toStatus());
}

/** `Warning: 299 - "text"`, with the text as an HTTP quoted-string (kubectl drops it otherwise). */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function setWarnings(res: ServerResponse, warnings: string[]): void {
  if (warnings.length) res.setHeader('Warning', warnings.map(warningHeader));
}
