// Raw HTTPS requests the server must refuse with the upstream Status, while
// staying healthy after each one.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.js';
import { expectStatus } from '../support/expect.js';
import { configMapBody } from '../support/manifests.js';

const NS = 'default';
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const STS = `/apis/apps/v1/namespaces/${NS}/statefulsets`;

let server: TestServer;
before(async () => {
  server = await startServer();
  expectStatus(await server.api().post(CM, configMapBody(NS, 'probe', { a: '1' })), 201, undefined, 'create probe');
});
after(async () => { await server?.dispose(); });

// After every bad request the server still answers.
afterEach(async () => {
  const ready = await server.api().get('/readyz');
  assert.equal(ready.status, 200, `/readyz after a bad request: ${ready.status} ${ready.text}`);
  const probe = await server.api().get(`${CM}/probe`);
  assert.equal(probe.status, 200, `GET after a bad request: ${probe.status} ${probe.text}`);
  assert.equal(probe.json.data.a, '1');
});

function sts(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: NS },
    spec: {
      serviceName: 'nginx', replicas: 1, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] } },
      ...spec,
    },
  };
}

describe('bad input', () => {
  it('malformed JSON → 400 BadRequest', async () => {
    const res = await server.api().post(CM, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{', { contentType: 'application/json' });
    expectStatus(res, 400, 'BadRequest', 'malformed JSON');
  });

  it('malformed YAML → 400 BadRequest', async () => {
    const res = await server.api().post(CM, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [name: x\n  : :\n', { contentType: 'application/yaml' });
    expectStatus(res, 400, 'BadRequest', 'malformed YAML');
  });

  it('well-formed YAML is accepted', async () => {
    const res = await server.api().post(CM, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n`, { contentType: 'application/yaml' });
    expectStatus(res, 201, undefined, 'YAML create');
    assert.equal(res.json.data.k, 'v');
  });

  it('apiVersion in the body differs from the URL → 400', async () => {
    const res = await server.api().post(CM, { ...configMapBody(NS, 'v2cm'), apiVersion: 'v2' });
    expectStatus(res, 400, 'BadRequest', 'apiVersion mismatch');
    assert.match(res.json.message, /the API version in the data \(v2\) does not match the expected API version \(v1\)/);
  });

  it('kind in the body differs from the URL → 400', async () => {
    const res = await server.api().post(CM, { ...configMapBody(NS, 'kindcm'), kind: 'Bogus' });
    expectStatus(res, 400, 'BadRequest', 'kind mismatch');
    assert.equal((await server.api().get(`${CM}/kindcm`)).status, 404, 'nothing was created');
  });

  it('unknown resource path → 404 NotFound', async () => {
    expectStatus(await server.api().get(`/api/v1/namespaces/${NS}/bogus`), 404, 'NotFound', 'unknown resource');
    expectStatus(await server.api().get('/apis/bogus.example.com/v1/things'), 404, 'NotFound', 'unknown group');
  });

  it('a body over 3 MiB → 413 RequestEntityTooLarge', async () => {
    const big = configMapBody(NS, 'huge', { blob: 'x'.repeat(3 * 1024 * 1024 + 1024) });
    const res = await server.api().post(CM, big);
    expectStatus(res, 413, 'RequestEntityTooLarge', 'huge body');
    assert.equal((await server.api().get(`${CM}/huge`)).status, 404, 'nothing was created');
  });

  it('an invalid name → 422 Invalid with the metadata.name cause', async () => {
    const res = await server.api().post(CM, configMapBody(NS, 'Bad_Name'));
    expectStatus(res, 422, 'Invalid', 'invalid name');
    assert.equal(res.json.details?.causes?.[0]?.field, 'metadata.name', res.text);
    assert.equal(res.json.details?.kind, 'ConfigMap');
    assert.equal(res.json.details?.name, 'Bad_Name');
  });

  it('a wrong-typed field → 400 with the unmarshal message', async () => {
    const res = await server.api().post(STS, sts('typed', { replicas: 'three' }));
    expectStatus(res, 400, 'BadRequest', 'wrong type');
    assert.match(res.json.message, /cannot unmarshal string into Go struct field StatefulSetSpec\.spec\.replicas of type int32/);
  });

  it('a missing namespace → 404 namespaces "nope" not found', async () => {
    const res = await server.api().post('/api/v1/namespaces/nope/configmaps', configMapBody('nope', 'x'));
    expectStatus(res, 404, 'NotFound', 'missing namespace');
    assert.equal(res.json.message, 'namespaces "nope" not found');
    assert.equal(res.json.details?.kind, 'namespaces');
  });

  it('no token → 401 Unauthorized', async () => {
    const res = await server.api().get(`${CM}/probe`, { token: null });
    expectStatus(res, 401, 'Unauthorized', 'no token');
  });

  it('a wrong token → 401 Unauthorized', async () => {
    const res = await server.api().get(`${CM}/probe`, { token: 'not-the-token' });
    expectStatus(res, 401, 'Unauthorized', 'wrong token');
  });

  it('two concurrent PUTs with the same resourceVersion: one 200, one 409', async () => {
    const created = await server.api().post(CM, configMapBody(NS, 'race', { who: 'nobody' }));
    expectStatus(created, 201, undefined, 'create race');
    const bodies = ['alpha', 'beta'].map((who) => ({ ...created.json, data: { who, payload: who.repeat(1000) } }));
    const results = await Promise.all(bodies.map((b) => server.api().put(`${CM}/race`, b)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], `statuses: ${results.map((r) => `${r.status} ${r.text.slice(0, 200)}`).join(' | ')}`);
    const loser = results.find((r) => r.status === 409)!;
    expectStatus(loser, 409, 'Conflict', 'losing PUT');
    const winner = results.find((r) => r.status === 200)!;
    const live = (await server.api().get(`${CM}/race`)).json;
    assert.deepEqual(live.data, winner.json.data, 'the stored object is the winner\'s body');
    assert.equal(live.metadata.resourceVersion, winner.json.metadata.resourceVersion);
    assert.ok(['alpha', 'beta'].includes(live.data.who));
    assert.equal(live.data.payload, live.data.who.repeat(1000), 'nothing half-written');
  });
});
