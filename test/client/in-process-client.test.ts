// The in-process transport: registry semantics (errors, patches, subresources, delete
// answers), asynchrony of calls and watch events, and 410 on a stale watch.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.js';
import type { KObject } from '../../src/api/object.js';
import type { WatchEvent } from '../../src/client/types.js';
import { waitFor } from '../support/wait.js';
import { cm, configmaps, memoryCluster, pods, statefulsets, sts, type TestCluster } from './cluster.js';

const dataOf = (o: KObject) => o.data as Record<string, string>;

let cluster: TestCluster | undefined;
afterEach(() => { cluster?.close(); cluster = undefined; });

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

describe('InProcessClient', () => {
  it('runs every call on a later microtask', async () => {
    cluster = memoryCluster();
    const { client, registry } = cluster;
    const p = client.create(configmaps, 'default', cm('later'));
    assert.throws(() => registry.get(configmaps, 'default', 'later'), (e: unknown) => e instanceof StatusError && e.code === 404, 'not written synchronously');
    const created = await p;
    assert.equal(created.metadata.name, 'later');
    // Errors reject; they are never thrown synchronously.
    const missing = client.get(configmaps, 'default', 'nope');
    await rejectsWith(missing, 404, 'NotFound', /configmaps "nope" not found/);
  });

  it('hands out copies the caller may change', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    const a = await client.create(configmaps, 'default', cm('c'));
    dataOf(a).k = 'changed locally';
    const b = await client.get(configmaps, 'default', 'c');
    assert.equal(dataOf(b).k, 'v');
    dataOf(b).k = 'again';
    const listed = await client.list(configmaps, 'default');
    assert.equal(dataOf(listed.items[0]!).k, 'v');
  });

  it('decodes bodies as the HTTP path does, and reports errors as the registry does', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    const created = await client.create(configmaps, 'default', { ...cm('x'), bogus: 1, metadata: { name: 'x', namespace: 'default', annotations: { a: undefined as unknown as string } } });
    assert.equal('bogus' in created, false, 'unknown fields dropped');
    await rejectsWith(client.create(configmaps, 'default', cm('x')), 409, 'AlreadyExists');
    await rejectsWith(client.update(configmaps, 'default', { ...created, metadata: { ...created.metadata, resourceVersion: '1' } }), 409, 'Conflict');
    await rejectsWith(client.create(configmaps, 'default', { ...cm('y'), kind: 'Secret' }), 400, 'BadRequest', /kind in the data \(Secret\)/);
    await rejectsWith(client.create(statefulsets, 'default', { ...sts('bad'), spec: { ...sts('bad').spec, replicas: -1 } }), 422, 'Invalid');
    await rejectsWith(client.create(configmaps, 'nowhere', cm('z', {}, 'nowhere')), 404, 'NotFound', /namespaces "nowhere" not found/);
  });

  it('patches with all three types, the status and the scale subresources', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    await client.create(configmaps, 'default', cm('p', { a: '1' }));
    let p = await client.patch(configmaps, 'default', 'p', 'merge', { data: { b: '2' } });
    assert.deepEqual(p.data, { a: '1', b: '2' });
    p = await client.patch(configmaps, 'default', 'p', 'strategic', { data: { a: null } });
    assert.deepEqual(p.data, { b: '2' });
    p = await client.patch(configmaps, 'default', 'p', 'json', [{ op: 'add', path: '/data/c', value: '3' }]);
    assert.deepEqual(p.data, { b: '2', c: '3' });
    await rejectsWith(client.patch(configmaps, 'default', 'p', 'json', [{ op: 'test', path: '/data/c', value: 'x' }]), 422, 'Invalid');

    const s = await client.create(statefulsets, 'default', sts('web', 1));
    const st = await client.updateStatus(statefulsets, 'default', { ...s, status: { replicas: 1, availableReplicas: 0 }, spec: { ...(s.spec as object), replicas: 7 } });
    assert.equal((st.status as { replicas: number }).replicas, 1);
    assert.equal((st.spec as { replicas: number }).replicas, 1, 'a status write leaves the spec alone');
    const st2 = await client.patch(statefulsets, 'default', 'web', 'merge', { status: { replicas: 2 } }, { subresource: 'status' });
    assert.equal((st2.status as { replicas: number }).replicas, 2);
    const scale = await client.patch(statefulsets, 'default', 'web', 'merge', { spec: { replicas: 5 } }, { subresource: 'scale' });
    assert.equal(scale.kind, 'Scale');
    assert.equal((scale.spec as { replicas: number }).replicas, 5);
    assert.equal(((await client.get(statefulsets, 'default', 'web')).spec as { replicas: number }).replicas, 5);
    await rejectsWith(client.patch(configmaps, 'default', 'p', 'merge', { spec: {} }, { subresource: 'scale' }), 404, 'NotFound');
  });

  it('delete answers undefined when gone, the object when held or for pods', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    await client.create(configmaps, 'default', cm('d'));
    assert.equal(await client.delete(configmaps, 'default', 'd'), undefined);
    await client.create(configmaps, 'default', { ...cm('held'), metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] } });
    const held = await client.delete(configmaps, 'default', 'held');
    assert.ok(held?.metadata.deletionTimestamp, 'held by a finalizer: the object comes back');
    await client.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const pod = await client.delete(pods, 'default', 'pod', { gracePeriodSeconds: 0 });
    assert.equal(pod?.metadata.name, 'pod');
    await rejectsWith(client.delete(configmaps, 'default', 'd'), 404, 'NotFound');
  });

  it('binds a pod to a node', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    await client.create(pods, 'default', { metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    await client.bind('default', 'b', 'node-1');
    assert.equal(((await client.get(pods, 'default', 'b')).spec as { nodeName: string }).nodeName, 'node-1');
  });

  it('delivers watch events in order, after the write returns, never inside it', async () => {
    cluster = memoryCluster();
    const { client, registry } = cluster;
    const list = await client.list(configmaps, 'default');
    const seen: string[] = [];
    let insideWrite = false;
    let calledInside = false;
    const w = client.watch(configmaps, 'default', { resourceVersion: list.resourceVersion }, {
      onEvent: (e: WatchEvent) => { if (insideWrite) calledInside = true; seen.push(`${e.type} ${e.object.metadata.name}`); },
      onClose: () => seen.push('closed'),
    });
    insideWrite = true;
    registry.create(configmaps, 'default', cm('w1'));
    registry.update(configmaps, 'default', 'w1', cm('w1', { k: '2' }));
    registry.delete(configmaps, 'default', 'w1');
    insideWrite = false;
    assert.deepEqual(seen, [], 'nothing delivered synchronously');
    await waitFor(() => seen.length >= 3);
    assert.equal(calledInside, false);
    assert.deepEqual(seen, ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    w.stop();
    registry.create(configmaps, 'default', cm('w2'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ['ADDED w1', 'MODIFIED w1', 'DELETED w1'], 'nothing after stop, not even onClose');
  });

  it('ends a watch from a compacted resourceVersion with a 410 StatusError', async () => {
    cluster = memoryCluster({ compactEvery: 0 });
    const { client, store } = cluster;
    const old = (await client.list(configmaps, 'default')).resourceVersion;
    for (let i = 0; i < 5; i++) await client.create(configmaps, 'default', cm(`c${i}`));
    store.compact(0);
    const state: { done: boolean; err?: unknown } = { done: false };
    client.watch(configmaps, 'default', { resourceVersion: old }, { onEvent: () => {}, onClose: (err) => { state.done = true; state.err = err; } });
    assert.equal(state.done, false, 'closed asynchronously');
    await waitFor(() => state.done);
    assert.ok(state.err instanceof StatusError);
    assert.equal(state.err.code, 410);
  });

  it('ends a watch normally at its timeout', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    let closed = 'open' as unknown;
    const keep = setInterval(() => {}, 1000);
    client.watch(configmaps, 'default', { resourceVersion: '1', timeoutSeconds: 0.05 }, { onEvent: () => {}, onClose: (err) => { closed = err; } });
    await waitFor(() => closed !== 'open', { timeoutMs: 5000 });
    clearInterval(keep);
    assert.equal(closed, undefined);
  });
});
