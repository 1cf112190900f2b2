// The kubeconfig loader and credential kinds, against a real server: token, tokenFile, an
// exec plugin, CA from a relative file path, insecure-skip-tls-verify, and clear refusals.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { clientFromKubeconfig, loadKubeconfig } from '../../src/client/http/index.js';
import { StatusError } from '../../src/api/errors.js';
import { startServer, type TestServer } from '../support/server.js';
import { namespaces } from './cluster.js';

let server: TestServer;
let base: { server: string; ca: string; token: string };

before(async () => {
  server = await startServer();
  const doc = parse(readFileSync(server.kubeconfig, 'utf8'));
  base = { server: doc.clusters[0].cluster.server, ca: doc.clusters[0].cluster['certificate-authority-data'], token: doc.users[0].user.token };
});
after(async () => { await server?.dispose(); });

function kubeconfig(file: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const path = join(server.workDir, file);
  writeFileSync(path, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u', namespace: 'ns1' } }],
    clusters: [{ name: 'k', cluster: { server: base.server, ...cluster } }],
    users: [{ name: 'u', user }],
  }));
  return path;
}

async function works(file: string): Promise<void> {
  const c = clientFromKubeconfig(file);
  try {
    const ns = await c.get(namespaces, undefined, 'default');
    assert.equal(ns.metadata.name, 'default');
  } finally {
    c.close();
  }
}

describe('kubeconfig loading', () => {
  it('reads the current context: server, CA data, token, namespace', () => {
    const conn = loadKubeconfig(kubeconfig('plain.yaml', { 'certificate-authority-data': base.ca }, { token: base.token }));
    assert.equal(conn.server, base.server);
    assert.equal(conn.namespace, 'ns1');
    assert.equal(conn.token, base.token);
    assert.match(conn.ca!.toString('utf8'), /BEGIN CERTIFICATE/);
  });

  it('authenticates with a token, a token file, an exec plugin; CA from a relative file; or skipping verification', async () => {
    writeFileSync(join(server.workDir, 'ca.crt'), Buffer.from(base.ca, 'base64'));
    writeFileSync(join(server.workDir, 'token'), `${base.token}\n`);
    await works(kubeconfig('token.yaml', { 'certificate-authority': 'ca.crt' }, { token: base.token }));
    await works(kubeconfig('tokenfile.yaml', { 'certificate-authority-data': base.ca }, { tokenFile: 'token' }));
    const script = `process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:${JSON.stringify(base.token)},expirationTimestamp:new Date(Date.now()+3600e3).toISOString()}}))`;
    await works(kubeconfig('exec.yaml', { 'certificate-authority-data': base.ca }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', script] } }));
    await works(kubeconfig('insecure.yaml', { 'insecure-skip-tls-verify': true }, { token: base.token }));
  });

  it('a wrong token is a 401 StatusError; an unknown CA a TLS error', async () => {
    const c = clientFromKubeconfig(kubeconfig('bad-token.yaml', { 'certificate-authority-data': base.ca }, { token: 'wrong' }));
    await assert.rejects(c.get(namespaces, undefined, 'default'), (e: unknown) => e instanceof StatusError && e.code === 401 && e.reason === 'Unauthorized');
    c.close();
    const d = clientFromKubeconfig(kubeconfig('no-ca.yaml', {}, { token: base.token }));
    await assert.rejects(d.get(namespaces, undefined, 'default'), /certificate/);
    d.close();
  });

  it('refuses what it cannot do, saying why', () => {
    assert.throws(() => loadKubeconfig(kubeconfig('ap.yaml', {}, { 'auth-provider': { name: 'gcp' } })), /auth-provider plugins are not supported/);
    assert.throws(() => loadKubeconfig(kubeconfig('proxy.yaml', { 'proxy-url': 'http://p' }, {})), /proxy-url is not supported/);
    assert.throws(() => loadKubeconfig(kubeconfig('half.yaml', {}, { 'client-certificate-data': 'eA==' })), /client-certificate and client-key must be given together/);
    assert.throws(() => loadKubeconfig(join(server.workDir, 'missing.yaml')), /kubeconfig .*missing\.yaml/);
  });
});
