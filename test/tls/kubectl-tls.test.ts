// Go's crypto/tls (inside the real kubectl) must trust the generated chain through the
// kubeconfig we write, and must see upstream's 401 when the token is wrong.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { authenticate, ensureToken, isPublicPath, unauthorizedError } from '../../src/apiserver/auth.js';
import { writeKubeconfig } from '../../src/apiserver/kubeconfig.js';
import { ensureServingCerts } from '../../src/apiserver/tls.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const skip = existsSync(KUBECTL) ? false : `${KUBECTL} not installed`;

let dir: string;
let server: Server;
let port: number;
let token: string;
let caPem: string;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'ordinal-kubectl-tls-'));
  const certs = await ensureServingCerts(dir, { hosts: ['127.0.0.1', 'localhost'] });
  caPem = certs.caPem;
  token = ensureToken(dir);
  server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (!isPublicPath(req.url ?? '/') && !authenticate(req, token)) return send(401, unauthorizedError().toStatus());
    if (path === '/version') return send(200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    return send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  if (skip) return;
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.KUBECONFIG;
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

for (const host of ['127.0.0.1', 'localhost']) {
  test(`kubectl verifies the serving cert via certificate-authority-data (${host})`, { skip }, async () => {
    const kc = join(dir, `kc-${host}`);
    writeKubeconfig(kc, { server: `https://${host}:${port}`, caPem, token });
    const r = await kubectl(kc, ['get', '--raw', '/api']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).kind, 'APIVersions');
  });
}

test('a wrong token gets upstream\'s Unauthorized message', { skip }, async () => {
  const kc = join(dir, 'kc-bad');
  writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem, token: 'not-the-token' });
  // A typed request decodes the Status body, so the message is the Status message...
  const raw = await kubectl(kc, ['get', '--raw', '/api/v1/namespaces']);
  assert.notEqual(raw.code, 0);
  assert.match(raw.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
  // ...while discovery reports its own wording, exactly as against a real cluster.
  const get = await kubectl(kc, ['get', 'namespaces']);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /error: You must be logged in to the server/);
});

test('/version is readable without a token, like anonymous access upstream', { skip }, async () => {
  const kc = join(dir, 'kc-bad2');
  writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem, token: 'wrong' });
  const r = await kubectl(kc, ['get', '--raw', '/version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).gitVersion, 'v1.33.0');
});

test('a CA from another data dir is rejected by kubectl', { skip }, async () => {
  const other = mkdtempSync(join(tmpdir(), 'ordinal-other-ca-'));
  try {
    const foreign = await ensureServingCerts(other, { hosts: ['127.0.0.1'] });
    const kc = join(dir, 'kc-foreign');
    writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem: foreign.caPem, token });
    const r = await kubectl(kc, ['get', '--raw', '/api']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /certificate signed by unknown authority|x509/);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
