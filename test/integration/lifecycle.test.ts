// The `ordinal up` contract: ready line, kubeconfig file, clean shutdown on
// SIGTERM/SIGINT, objects back after a restart, --service-cidr honoured.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { readKubeconfig } from '../support/kubeconfig.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectStatus } from '../support/expect.js';
import { configMapBody } from '../support/manifests.js';

let server: TestServer;
before(async () => { server = await startServer({ serviceCidr: '10.97.0.0/16' }); });
after(async () => { await server?.dispose(); });

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function snapshot(paths: string[]): Promise<Record<string, [string, string]>> {
  const out: Record<string, [string, string]> = {};
  for (const p of paths) {
    const res = await server.api().get(p);
    expectStatus(res, 200, undefined, `GET ${p}`);
    out[p] = [res.json.metadata.uid, res.json.metadata.resourceVersion];
  }
  return out;
}

describe('ordinal up lifecycle', () => {
  it('prints one ready line with the URL and the export line', () => {
    const lines = server.logs().split('\n').filter((l) => /\bready\b/i.test(l));
    assert.equal(lines.length, 1, `ready lines: ${JSON.stringify(lines)}`);
    assert.match(lines[0]!, new RegExp(`${escapeRe(server.url)}\\b`));
    assert.match(lines[0]!, new RegExp(`export KUBECONFIG=${escapeRe(server.kubeconfig)}\\b`));
  });

  it('writes a 0600 kubeconfig with context "ordinal", the CA and a token', () => {
    assert.equal(statSync(server.kubeconfig).mode & 0o777, 0o600);
    const kc = readKubeconfig(server.kubeconfig);
    assert.equal(kc.contextName, 'ordinal');
    assert.equal(kc.server, server.url);
    assert.match(kc.ca.toString('utf8'), /BEGIN CERTIFICATE/);
    assert.ok(kc.token.length >= 16, 'token looks like a secret');
  });

  it('allocates ClusterIPs from --service-cidr', async () => {
    const svc = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'cidr', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    };
    const res = await server.api().post('/api/v1/namespaces/default/services', svc);
    expectStatus(res, 201, undefined, 'create service');
    assert.match(res.json.spec.clusterIP, /^10\.97\.\d+\.\d+$/);
  });

  it('SIGTERM exits 0 and a restart has every object back', async () => {
    const api = server.api();
    expectStatus(await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'life' } }), 201, undefined, 'create ns');
    expectStatus(await api.post('/api/v1/namespaces/life/configmaps', configMapBody('life', 'one', { a: '1' })), 201, undefined, 'create cm');
    const paths = ['/api/v1/namespaces/life', '/api/v1/namespaces/life/configmaps/one', '/api/v1/namespaces/default/services/cidr'];
    const before = await snapshot(paths);
    assert.equal(await server.stop(), 0, `exit code after SIGTERM; output:\n${server.logs().slice(-2000)}`);
    await server.restart();
    assert.deepEqual(await snapshot(paths), before, 'same uid and resourceVersion after restart');
    const ready = await server.api().get('/readyz');
    assert.equal(ready.status, 200);
  });

  it('SIGINT exits 0 too', async () => {
    const proc = server.proc;
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGINT');
    assert.equal(await exited, 0);
    await server.restart();
    expectStatus(await server.api().get('/api/v1/namespaces/life/configmaps/one'), 200, undefined, 'cm after SIGINT restart');
  });
});
