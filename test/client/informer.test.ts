// Informers over the in-process client and a real Registry: sync, delivery, late handlers,
// indexes, recovery from 410 by re-listing, and restarts after other failures.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { KObject } from '../../src/api/object.js';
import { SharedInformerFactory } from '../../src/client/shared-informer-factory.js';
import type { DeletedFinalStateUnknown, EventHandlers, Informer } from '../../src/client/informer-types.js';
import { waitFor } from '../support/wait.js';
import { cm, configmaps, memoryCluster, namespaces, type TestCluster } from './cluster.js';
import { FlakyClient } from './flaky-client.js';

const fast = { backoff: { initialMs: 5, maxMs: 50 } };

function recorder(): { log: string[]; handlers: EventHandlers } {
  const log: string[] = [];
  return {
    log,
    handlers: {
      onAdd: (o) => log.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => log.push(`update ${o.metadata.name} ${JSON.stringify((o as KObject & { data?: unknown }).data)}`),
      onDelete: (o) => {
        if ('key' in o && !('metadata' in o)) log.push(`delete-unknown ${(o as DeletedFinalStateUnknown).key}`);
        else log.push(`delete ${(o as KObject).metadata.name}`);
      },
    },
  };
}

const names = (inf: Informer) => inf.lister.list().map((o) => o.metadata.name).sort();

let cluster: TestCluster | undefined;
let factory: SharedInformerFactory | undefined;
afterEach(() => {
  factory?.stop();
  cluster?.close();
  factory = undefined;
  cluster = undefined;
});

describe('SharedInformer over the in-process client', () => {
  it('lists in pages, syncs, and delivers adds, updates and deletes in order', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    for (const n of ['a', 'b', 'c', 'd', 'e']) await client.create(configmaps, 'default', cm(n));
    const flaky = new FlakyClient(client);
    factory = new SharedInformerFactory(flaky, { ...fast, pageSize: 2 });
    const inf = factory.forResource(configmaps);
    assert.equal(factory.forResource(configmaps), inf, 'one shared informer per resource');
    const rec = recorder();
    inf.addEventHandler(rec.handlers);
    factory.start();
    await factory.waitForCacheSync();
    assert.equal(inf.hasSynced(), true);
    assert.equal(flaky.listCalls, 3, 'five objects in pages of two');
    assert.deepEqual(names(inf), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(rec.log, ['add a', 'add b', 'add c', 'add d', 'add e']);
    assert.equal(inf.lastSyncResourceVersion(), String(cluster.registry.currentRevision));

    rec.log.length = 0;
    await client.create(configmaps, 'default', cm('f'));
    await client.patch(configmaps, 'default', 'a', 'merge', { data: { k: 'v2' } });
    await client.delete(configmaps, 'default', 'b');
    await waitFor(() => rec.log.length >= 3, { what: 'three events' });
    assert.deepEqual(rec.log, ['add f', 'update a {"k":"v2"}', 'delete b']);
    assert.deepEqual(names(inf), ['a', 'c', 'd', 'e', 'f']);
    assert.equal(inf.lister.get('default/a')?.metadata.resourceVersion, (await client.get(configmaps, 'default', 'a')).metadata.resourceVersion);
    assert.equal(inf.lastSyncResourceVersion(), String(cluster.registry.currentRevision));
    assert.throws(() => { (inf.lister.get("default/a") as unknown as { data: Record<string, string> }).data.k = 'x'; }, TypeError, 'cached objects are frozen');
  });

  it('gives late handlers the cache as adds, then live changes; namespace and custom indexes', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    await client.create(namespaces, undefined, { metadata: { name: 'other' } });
    await client.create(configmaps, 'default', { ...cm('x'), metadata: { name: 'x', labels: { tier: 'db' } } });
    await client.create(configmaps, 'other', { ...cm('y', {}, 'other'), metadata: { name: 'y', namespace: 'other', labels: { tier: 'db' } } });
    factory = new SharedInformerFactory(client, fast);
    const inf = factory.forResource(configmaps);
    inf.addIndexer('tier', (o) => (o.metadata.labels?.tier ? [o.metadata.labels.tier] : []));
    factory.start();
    await factory.waitForCacheSync();
    const rec = recorder();
    inf.addEventHandler(rec.handlers);
    await client.create(configmaps, 'other', cm('z', {}, 'other'));
    await waitFor(() => rec.log.includes('add z'), { what: 'live add after the synthetic ones' });
    assert.deepEqual(rec.log.slice(0, -1).sort(), ['add x', 'add y']);
    assert.equal(rec.log.at(-1), 'add z');
    assert.deepEqual(inf.lister.listNamespace('other').map((o) => o.metadata.name).sort(), ['y', 'z']);
    assert.deepEqual(inf.lister.byIndex('tier', 'db').map((o) => o.metadata.name).sort(), ['x', 'y']);
    inf.addIndexer('name', (o) => [o.metadata.name!]);
    assert.deepEqual(inf.lister.byIndex('name', 'z').map((o) => o.metadata.namespace), ['other']);
    await client.delete(configmaps, 'other', 'y');
    await waitFor(() => rec.log.includes('delete y'), { what: 'delete y' });
    assert.deepEqual(inf.lister.byIndex('tier', 'db').map((o) => o.metadata.name), ['x']);
    assert.deepEqual(inf.lister.listNamespace('other').map((o) => o.metadata.name), ['z']);
  });

  it('after a 410, re-lists and delivers the difference, deletes as DeletedFinalStateUnknown', async () => {
    cluster = memoryCluster({ compactEvery: 0 });
    const { client, store } = cluster;
    for (const n of ['keep', 'doomed', 'changed']) await client.create(configmaps, 'default', cm(n));
    const flaky = new FlakyClient(client);
    const logs: string[] = [];
    factory = new SharedInformerFactory(flaky, { ...fast, log: (m) => logs.push(m) });
    const inf = factory.forResource(configmaps);
    const rec = recorder();
    inf.addEventHandler(rec.handlers);
    factory.start();
    await factory.waitForCacheSync();
    await waitFor(() => flaky.openWatches === 1, { what: 'watch open' });
    const staleRv = inf.lastSyncResourceVersion();
    rec.log.length = 0;

    // The connection drops; the informer's re-watch waits while the world moves on.
    flaky.hold();
    flaky.cutWatches();
    await waitFor(() => flaky.heldWatches === 1, { what: 're-watch attempt' });
    assert.equal(flaky.watchCalls.at(-1)?.resourceVersion, staleRv, 're-watch resumes from the last RV');
    await client.patch(configmaps, 'default', 'changed', 'merge', { data: { k: 'new' } });
    await client.delete(configmaps, 'default', 'doomed');
    await client.create(configmaps, 'default', cm('born'));
    for (let i = 0; i < 50; i++) await client.patch(configmaps, 'default', 'keep', 'merge', { data: { k: `v${i}` } });
    await client.patch(configmaps, 'default', 'keep', 'merge', { data: { k: 'v' } });
    store.compact(0);
    const listsBefore = flaky.listCalls;
    flaky.release();

    await waitFor(() => rec.log.length >= 4, { what: 'the difference delivered' });
    assert.ok(flaky.closes.includes('error:410'), `the stale watch got 410 (closes: ${flaky.closes.join(', ')})`);
    assert.equal(flaky.listCalls, listsBefore + 1, 'one re-list');
    assert.deepEqual(rec.log.slice().sort(), ['add born', 'delete-unknown default/doomed', 'update changed {"k":"new"}', 'update keep {"k":"v"}'].sort());
    assert.deepEqual(names(inf), ['born', 'changed', 'keep']);
    assert.equal(inf.lastSyncResourceVersion(), String(cluster.registry.currentRevision));
    assert.deepEqual(logs, [], 'a 410 is routine, not an error');

    // And it keeps watching afterwards.
    rec.log.length = 0;
    await client.create(configmaps, 'default', cm('after'));
    await waitFor(() => rec.log.includes('add after'), { what: 'live event after recovery' });
  });

  it('restarts after list and watch failures with backoff, logging each step, never stopping', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    await client.create(configmaps, 'default', cm('one'));
    const flaky = new FlakyClient(client);
    flaky.listFailures = 3;
    const logs: string[] = [];
    factory = new SharedInformerFactory(flaky, { ...fast, log: (m) => logs.push(m) });
    const inf = factory.forResource(configmaps);
    const rec = recorder();
    inf.addEventHandler(rec.handlers);
    factory.start();
    await factory.waitForCacheSync();
    assert.equal(flaky.listCalls, 4);
    assert.equal(logs.length, 3, logs.join('\n'));
    assert.match(logs[0]!, /informer configmaps: injected list failure; retrying in \d+ ms/);
    assert.ok(inf.lister.get('default/one'));

    // A broken watch: the informer lists again and resumes; changes made meanwhile arrive.
    await waitFor(() => flaky.openWatches === 1, { what: 'watch open' });
    flaky.hold();
    flaky.cutWatches(new Error('connection reset'));
    await client.create(configmaps, 'default', cm('two'));
    flaky.release();
    await waitFor(() => rec.log.includes('add two'), { what: 'change made while the watch was broken' });
    assert.ok(logs.some((l) => /connection reset; retrying/.test(l)));
    assert.equal(flaky.listCalls, 5, 're-listed after the watch error');
    await client.create(configmaps, 'default', cm('three'));
    await waitFor(() => rec.log.includes('add three'), { what: 'live event after restart' });
  });

  it('resumes a normally closed watch from the last resourceVersion without re-listing', async () => {
    cluster = memoryCluster();
    const { client } = cluster;
    const flaky = new FlakyClient(client);
    factory = new SharedInformerFactory(flaky, fast);
    const inf = factory.forResource(configmaps);
    const rec = recorder();
    inf.addEventHandler(rec.handlers);
    factory.start();
    await factory.waitForCacheSync();
    await client.create(configmaps, 'default', cm('p'));
    await waitFor(() => rec.log.includes('add p'));
    const rv = inf.lastSyncResourceVersion();
    flaky.cutWatches();
    await waitFor(() => flaky.watchCalls.length === 2 && flaky.openWatches === 1, { what: 're-watch' });
    assert.equal(flaky.watchCalls[1]!.resourceVersion, rv);
    assert.equal(flaky.watchCalls[1]!.allowWatchBookmarks, true);
    assert.equal(flaky.listCalls, 1);
    await client.create(configmaps, 'default', cm('q'));
    await waitFor(() => rec.log.includes('add q'));
  });
});
