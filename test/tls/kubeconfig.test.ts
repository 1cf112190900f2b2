import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { writeKubeconfig } from '../../src/apiserver/kubeconfig.js';

test('writes a 0600 kubeconfig with CA data, token and an ordinal context, creating parents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordinal-kc-'));
  try {
    const file = join(dir, 'nested', 'deeper', 'kubeconfig');
    writeKubeconfig(file, { server: 'https://127.0.0.1:6443', caPem: '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', token: 'tok' });
    const kc = parse(readFileSync(file, 'utf8'));
    assert.equal(kc['current-context'], 'ordinal');
    assert.deepEqual(kc.contexts, [{ name: 'ordinal', context: { cluster: 'ordinal', user: 'ordinal' } }]);
    assert.equal(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n');
    assert.deepEqual(kc.users, [{ name: 'ordinal', user: { token: 'tok' } }]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'nested', 'deeper')), ['kubeconfig'], 'no temp files left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('overwriting an existing world-readable file leaves it 0600 with the new content and name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordinal-kc-'));
  try {
    const file = join(dir, 'config');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writeKubeconfig(file, { server: 'https://127.0.0.1:1', caPem: 'x', token: 't2', name: 'other' });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const kc = parse(readFileSync(file, 'utf8'));
    assert.equal(kc['current-context'], 'other');
    assert.equal(kc.users[0].user.token, 't2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
