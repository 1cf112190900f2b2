import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureServingCerts, pkiPaths } from '../../src/apiserver/tls.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'ordinal-tls-'));

test('first start creates a CA and a serving cert with IP and DNS SANs; keys are 0600', async () => {
  const dir = tempDir();
  try {
    const started = performance.now();
    const certs = await ensureServingCerts(dir, { hosts: ['127.0.0.1', 'localhost', '::1'] });
    assert.ok(performance.now() - started < 1000, 'generation should take milliseconds');
    const ca = new X509Certificate(certs.caPem);
    const cert = new X509Certificate(certs.certPem);
    assert.equal(ca.ca, true);
    assert.equal(cert.ca, false);
    assert.ok(cert.verify(ca.publicKey), 'serving cert must be signed by the CA');
    assert.ok(cert.checkIssued(ca));
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(cert.checkIP('::1'));
    assert.equal(cert.checkHost('localhost', { subject: 'never' }), 'localhost');
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/); // an IP SAN, not a DNS name
    const p = pkiPaths(dir);
    assert.equal(statSync(p.caKey).mode & 0o777, 0o600);
    assert.equal(statSync(p.key).mode & 0o777, 0o600);
    assert.equal(readFileSync(p.cert, 'utf8'), certs.certPem);
    assert.equal(readFileSync(p.key, 'utf8'), certs.keyPem);
    assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(certs.keyPem)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('later starts reuse the stored certificates when hosts are still covered', async () => {
  const dir = tempDir();
  try {
    const first = await ensureServingCerts(dir, { hosts: ['127.0.0.1', 'localhost'] });
    const second = await ensureServingCerts(dir, { hosts: ['localhost'] });
    assert.deepEqual(second, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new host re-issues only the serving cert, keeping the CA', async () => {
  const dir = tempDir();
  try {
    const first = await ensureServingCerts(dir, { hosts: ['127.0.0.1'] });
    const second = await ensureServingCerts(dir, { hosts: ['127.0.0.1', '10.88.0.1'] });
    assert.equal(second.caPem, first.caPem);
    assert.notEqual(second.certPem, first.certPem);
    assert.notEqual(second.keyPem, first.keyPem);
    const cert = new X509Certificate(second.certPem);
    assert.ok(cert.checkIP('10.88.0.1'));
    assert.ok(cert.verify(new X509Certificate(second.caPem).publicKey));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a serving cert near expiry is renewed', async () => {
  const dir = tempDir();
  try {
    const first = await ensureServingCerts(dir, { hosts: ['127.0.0.1'] });
    const later = new Date(Date.now() + 350 * 24 * 3600 * 1000); // 15 days before the 1-year expiry
    const renewed = await ensureServingCerts(dir, { hosts: ['127.0.0.1'], now: later });
    assert.equal(renewed.caPem, first.caPem);
    assert.notEqual(renewed.certPem, first.certPem);
    assert.ok(new Date(new X509Certificate(renewed.certPem).validTo) > new Date(later.getTime() + 300 * 24 * 3600 * 1000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
