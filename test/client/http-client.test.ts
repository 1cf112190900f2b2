// The HTTPS transport against a real `ordinal up`, through the kubeconfig it writes: CRUD,
// the three patch types, status and scale, delete answers, binding, watch (including a 410
// after compaction), Status errors, and an informer over HTTPS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.js';
import type { KObject } from '../../src/api/object.js';
import { clientFromKubeconfig, type HttpClient } from '../../src/client/http/index.js';
import { SharedInformerFactory } from '../../src/client/shared-informer-factory.js';
import type { WatchEvent } from '../../src/client/types.js';
import { startServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { cm, configmaps, namespaces, pods, statefulsets, sts } from './cluster.js';

let server: TestServer;
let client: HttpClient;
const NS = 'http-client';

before(async () => {
  server = await startServer({ compactRetain: 20, extraArgs: ['--disable', 'scheduler,node'] });
  client = clientFromKubeconfig(server.kubeconfig);
  await client.create(namespaces, undefined, { metadata: { name: NS } });
});
after(async () => {
  client?.close();
  await server?.dispose();
});

async function rejectsWith(p: Promise<unknown>, code: number, reason: string, message?: RegExp): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, `a StatusError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.reason, reason);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code} ${reason}`);
}

const dataOf = (o: KObject) => o.data as Record<string, string>;

describe('HttpClient against ordinal up', () => {
  it('creates, gets, lists in pages, updates and deletes', async () => {
    const created = await client.create(configmaps, NS, cm('a', { k: '1' }, NS));
    assert.equal(created.kind, 'ConfigMap');
    assert.ok(created.metadata.uid);
    for (const n of ['b', 'c']) await client.create(configmaps, NS, cm(n, {}, NS));
    const got = await client.get(configmaps, NS, 'a');
    assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
    const page1 = await client.list(configmaps, NS, { limit: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.continue);
    assert.equal(page1.items[0]!.kind, 'ConfigMap', 'list items get their type');
    assert.equal(page1.items[0]!.apiVersion, 'v1');
    const page2 = await client.list(configmaps, NS, { limit: 2, continue: page1.continue });
    assert.deepEqual([...page1.items, ...page2.items].map((o) => o.metadata.name), ['a', 'b', 'c']);
    assert.equal(page2.continue, undefined);
    const all = await client.list(configmaps, undefined, { labelSelector: 'nope=1' });
    assert.deepEqual(all.items, []);
    assert.match(all.resourceVersion, /^\d+$/);

    const updated = await client.update(configmaps, NS, { ...got, data: { k: '2' } });
    assert.equal(dataOf(updated).k, '2');
    await rejectsWith(client.update(configmaps, NS, { ...got, data: { k: '3' } }), 409, 'Conflict', /the object has been modified/);
    const dry = await client.create(configmaps, NS, cm('dry', {}, NS), { dryRun: true });
    assert.equal(dry.metadata.name, 'dry');
    await rejectsWith(client.get(configmaps, NS, 'dry'), 404, 'NotFound');
    assert.equal(await client.delete(configmaps, NS, 'c'), undefined);
    await rejectsWith(client.get(configmaps, NS, 'c'), 404, 'NotFound', /configmaps "c" not found/);
  });

  it('patches with strategic, merge and JSON patch; status and scale subresources', async () => {
    await client.create(configmaps, NS, cm('p', { a: '1' }, NS));
    assert.deepEqual((await client.patch(configmaps, NS, 'p', 'merge', { data: { b: '2' } })).data, { a: '1', b: '2' });
    assert.deepEqual((await client.patch(configmaps, NS, 'p', 'strategic', { data: { a: null } })).data, { b: '2' });
    assert.deepEqual((await client.patch(configmaps, NS, 'p', 'json', [{ op: 'replace', path: '/data/b', value: '3' }])).data, { b: '3' });

    const set = await client.create(statefulsets, NS, sts('web', 1, NS));
    // No resourceVersion: an unconditional write (a StatefulSet controller may be writing too).
    const st = await client.updateStatus(statefulsets, NS, { ...set, metadata: { ...set.metadata, resourceVersion: undefined }, spec: { ...(set.spec as object), replicas: 9 }, status: { replicas: 0, observedGeneration: 1, collisionCount: 3 } });
    assert.equal((st.status as { collisionCount: number }).collisionCount, 3);
    assert.equal((st.spec as { replicas: number }).replicas, 1, 'a status write leaves the spec alone');
    const st2 = await client.patch(statefulsets, NS, 'web', 'merge', { status: { collisionCount: 4 } }, { subresource: 'status' });
    assert.equal((st2.status as { collisionCount: number }).collisionCount, 4);
    const scale = await client.patch(statefulsets, NS, 'web', 'merge', { spec: { replicas: 4 } }, { subresource: 'scale' });
    assert.equal(scale.kind, 'Scale');
    assert.equal(((await client.get(statefulsets, NS, 'web')).spec as { replicas: number }).replicas, 4);
  });

  it('delete answers the object when held, and a pod; bind assigns a node', async () => {
    await client.create(configmaps, NS, { ...cm('held', {}, NS), metadata: { name: 'held', namespace: NS, finalizers: ['example.com/x'] } });
    const held = await client.delete(configmaps, NS, 'held', { propagationPolicy: 'Background' });
    assert.ok(held?.metadata.deletionTimestamp);
    await client.patch(configmaps, NS, 'held', 'merge', { metadata: { finalizers: null } });
    await client.create(pods, NS, { metadata: { name: 'pod' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await client.bind(NS, 'pod', 'node-a');
    assert.equal(((await client.get(pods, NS, 'pod')).spec as { nodeName: string }).nodeName, 'node-a');
    const pod = await client.delete(pods, NS, 'pod', { gracePeriodSeconds: 0 });
    assert.equal(pod?.metadata.name, 'pod');
  });

  it('reports server errors as StatusErrors with code, reason and details', async () => {
    const e = await rejectsWith(client.create(configmaps, NS, cm('a', {}, NS)), 409, 'AlreadyExists', /configmaps "a" already exists/);
    assert.equal(e.details?.name, 'a');
    await rejectsWith(client.create(statefulsets, NS, { ...sts('bad', 1, NS), spec: { ...sts('bad', 1, NS).spec, replicas: -1 } }), 422, 'Invalid');
    await rejectsWith(client.patch(configmaps, NS, 'a', 'json', [{ op: 'test', path: '/data/nope', value: 'x' }]), 422, 'Invalid');
    await rejectsWith(client.get(configmaps, 'no-such-ns', 'x'), 404, 'NotFound');
  });

  it('watches: events in order, a normal end at timeoutSeconds, and 410 for a compacted resourceVersion', async () => {
    const start = (await client.list(configmaps, NS)).resourceVersion;
    const seen: string[] = [];
    const ended: { done: boolean; err?: unknown } = { done: false };
    const w = client.watch(configmaps, NS, { resourceVersion: start, allowWatchBookmarks: true }, {
      onEvent: (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}`),
      onClose: (err) => { ended.done = true; ended.err = err; },
    });
    await client.create(configmaps, NS, cm('w', {}, NS));
    await client.patch(configmaps, NS, 'w', 'merge', { data: { x: 'y' } });
    await client.delete(configmaps, NS, 'w');
    await waitFor(() => seen.length >= 3, { what: 'three watch events' });
    assert.deepEqual(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
    w.stop();
    assert.equal(ended.done, false, 'stop() ends without onClose');

    const timed: { done: boolean; err?: unknown } = { done: false };
    client.watch(configmaps, NS, { resourceVersion: start, timeoutSeconds: 1 }, { onEvent: () => {}, onClose: (err) => { timed.done = true; timed.err = err; } });
    await waitFor(() => timed.done, { what: 'watch timeout', timeoutMs: 10_000 });
    assert.equal(timed.err, undefined);

    // More writes than the server keeps (compactRetain 20), then a watch from before them.
    for (let i = 0; i < 60; i++) await client.patch(configmaps, NS, 'a', 'merge', { data: { i: String(i) } });
    const expired: { done: boolean; err?: unknown } = { done: false };
    client.watch(configmaps, NS, { resourceVersion: start }, { onEvent: () => {}, onClose: (err) => { expired.done = true; expired.err = err; } });
    await waitFor(() => expired.done, { what: '410' });
    assert.ok(expired.err instanceof StatusError, String(expired.err));
    assert.equal(expired.err.code, 410);
  });

  it('an informer over HTTPS syncs and follows changes', async () => {
    const factory = new SharedInformerFactory(client, { namespace: NS });
    const inf = factory.forResource(configmaps);
    const added: string[] = [];
    inf.addEventHandler({ onAdd: (o) => added.push(o.metadata.name!) });
    factory.start();
    await factory.waitForCacheSync();
    assert.ok(inf.lister.get(`${NS}/a`));
    assert.equal(inf.lister.get(`${NS}/a`)!.kind, 'ConfigMap');
    await client.create(configmaps, NS, cm('late', {}, NS));
    await waitFor(() => added.includes('late'), { what: 'informer add over HTTPS' });
    factory.stop();
  });
});
