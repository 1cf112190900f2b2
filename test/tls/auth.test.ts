import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { authenticate, ensureToken, isPublicPath, tokenPath, unauthorizedError } from '../../src/apiserver/auth.js';

const req = (authorization?: string): IncomingMessage => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

test('ensureToken creates a long random 0600 token once and reuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordinal-auth-'));
  try {
    const t = ensureToken(dir);
    assert.ok(t.length >= 43, 'at least 32 bytes of entropy');
    assert.match(t, /^[A-Za-z0-9_-]+$/);
    assert.equal(statSync(tokenPath(dir)).mode & 0o777, 0o600);
    assert.equal(ensureToken(dir), t);
    const other = mkdtempSync(join(tmpdir(), 'ordinal-auth-'));
    try {
      assert.notEqual(ensureToken(other), t);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('authenticate accepts only the exact bearer token', () => {
  const token = 'abc123-XYZ';
  assert.equal(authenticate(req(`Bearer ${token}`), token), true);
  assert.equal(authenticate(req(`bearer ${token}`), token), true);
  assert.equal(authenticate(req(`Bearer ${token}x`), token), false);
  assert.equal(authenticate(req('Bearer abc123-XYy'), token), false);
  assert.equal(authenticate(req(`Basic ${token}`), token), false);
  assert.equal(authenticate(req(), token), false);
  assert.equal(authenticate(req('Bearer '), ''), false);
});

test('health and version paths are public; API paths are not', () => {
  for (const p of ['/healthz', '/livez', '/readyz', '/version', '/readyz/etcd', '/livez?verbose']) assert.equal(isPublicPath(p), true, p);
  for (const p of ['/api', '/apis', '/api/v1/namespaces', '/healthzz', '/versions', '/openapi/v2', '/']) assert.equal(isPublicPath(p), false, p);
});

test('the unauthorized Status matches upstream', () => {
  assert.deepEqual(unauthorizedError().toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Unauthorized',
    reason: 'Unauthorized',
    code: 401,
  });
});
