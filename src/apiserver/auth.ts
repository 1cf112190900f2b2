// Bearer-token authentication. One static token per data directory, generated on first
// start and handed to clients through the kubeconfig ordinal writes.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { StatusError } from '../api/errors.js';

export function tokenPath(dataDir: string): string {
  return join(dataDir, 'token');
}

/** Reads DATA_DIR/token, creating it (32 random bytes, base64url, mode 0600) if missing or empty. */
export function ensureToken(dataDir: string): string {
  const file = tokenPath(dataDir);
  if (existsSync(file)) {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing !== '') {
      chmodSync(file, 0o600);
      return existing;
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, token + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return token;
}

/** Extracts the credential from `Authorization: Bearer <token>` (scheme is case-insensitive). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

/** Constant-time comparison, so response timing does not leak how much of a guess was right. */
export function authenticate(req: IncomingMessage, token: string): boolean {
  const presented = bearerToken(req);
  if (presented === undefined || token === '') return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(token, 'utf8');
  // timingSafeEqual needs equal lengths; comparing b with itself keeps the work constant.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Paths readable without credentials. Kubernetes 1.33 enables anonymous authentication by
 * default and its `system:public-info-viewer` ClusterRole grants the anonymous user GET on
 * exactly /healthz, /livez, /readyz and /version (plus their sub-paths for the health
 * checks, e.g. /readyz/etcd). Matching that lets health probes and `curl /version` work
 * without a token, while every API path still demands one.
 */
export function isPublicPath(path: string): boolean {
  const p = path.split('?', 1)[0]!;
  if (p === '/version' || p === '/version/') return true;
  return /^\/(healthz|livez|readyz)(\/.*)?$/.test(p);
}

/** The 401 upstream returns; kubectl prints `error: You must be logged in to the server (Unauthorized)`. */
export function unauthorizedError(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}
