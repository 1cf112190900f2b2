// Catalogue §14.8 (start ordinal, O1–O6), §14.9 (minReadySeconds, N1–N5) and the
// controller's half of §14.10 (status writes, S4) plus §10's field rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster, internalError, newSet, imageOf, revisionOf } from './fake-cluster.js';

test('O1 replicas 3, start 2: pods foo-2, foo-3, foo-4; status 3/3/3', async () => {
  const c = new FakeCluster(newSet({ name: 'foo', replicas: 3, start: 2 }));
  await c.converge();
  assert.deepEqual(c.podNames(), ['foo-2', 'foo-3', 'foo-4']);
  const s = c.status();
  assert.deepEqual([s.replicas, s.readyReplicas, s.updatedReplicas], [3, 3, 3]);
});

test('O2 setting start 2 (replicas 2→3) leaves exactly ss-2, ss-3, ss-4', async () => {
  const c = new FakeCluster(newSet({ name: 'ss', replicas: 2 }));
  await c.converge();
  c.updateSpec((s) => { s.ordinals = { start: 2 }; s.replicas = 3; });
  await c.converge();
  assert.deepEqual(c.podNames(), ['ss-2', 'ss-3', 'ss-4']);
  assert.equal(c.status().readyReplicas, 3);
});

test('O3 raising start 2→4: ss-4 then ss-5 are created, then ss-3 and ss-2 deleted', async () => {
  const c = new FakeCluster(newSet({ name: 'ss', replicas: 2, start: 2 }));
  await c.converge();
  c.updateSpec((s) => { s.ordinals = { start: 4 }; });
  await c.converge();
  assert.deepEqual(c.podNames(), ['ss-4', 'ss-5']);
  assert.deepEqual(c.created.slice(2), ['ss-4', 'ss-5']);
  assert.deepEqual(c.deleted, ['ss-3', 'ss-2']);
  const order = c.writes.filter((w) => w.op === 'createPod' || w.op === 'deletePod').slice(2).map((w) => `${w.op}:${w.name}`);
  assert.deepEqual(order, ['createPod:ss-4', 'createPod:ss-5', 'deletePod:ss-3', 'deletePod:ss-2']);
});

test('O4 lowering start 3→2: ss-2 and ss-3 (ss-3 kept, ss-4 removed)', async () => {
  const c = new FakeCluster(newSet({ name: 'ss', replicas: 2, start: 3 }));
  await c.converge();
  const uid3 = c.pod('ss-3').metadata.uid;
  c.updateSpec((s) => { s.ordinals = { start: 2 }; });
  await c.converge();
  assert.deepEqual(c.podNames(), ['ss-2', 'ss-3']);
  assert.equal(c.pod('ss-3').metadata.uid, uid3);
  assert.deepEqual(c.deleted, ['ss-4']);
});

test('O5 removing ordinals (start 3 → unset): ss-0, ss-1', async () => {
  const c = new FakeCluster(newSet({ name: 'ss', replicas: 2, start: 3 }));
  await c.converge();
  c.updateSpec((s) => { delete s.ordinals; });
  await c.converge();
  assert.deepEqual(c.podNames(), ['ss-0', 'ss-1']);
});

test('O6 start 5, partition 1: the partition counts from start (web-6, web-7 updated, web-5 not)', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, start: 5, partition: 1 }));
  await c.converge();
  const original = c.status().currentRevision;
  c.setImage('foo');
  await c.converge();
  assert.deepEqual(c.podNames().map((n) => [n, imageOf(c.pod(n))]), [['web-5', 'nginx:1'], ['web-6', 'foo'], ['web-7', 'foo']]);
  assert.equal(revisionOf(c.pod('web-5')), original);
  // A re-created web-5 stays on the old revision too.
  c.removePod('web-5');
  await c.converge();
  assert.equal(imageOf(c.pod('web-5')), 'nginx:1');
});

test('N1 minReadySeconds 3600: Ready for 120 min → available 1; Ready for 30 min → available 0', async () => {
  const c = new FakeCluster(newSet({ replicas: 1, minReadySeconds: 3600 }));
  await c.sync();
  c.makeReady('web-0', 120 * 60);
  await c.sync();
  assert.equal(c.status().availableReplicas, 1);
  c.makeReady('web-0', 30 * 60);
  await c.sync();
  assert.equal(c.status().availableReplicas, 0);
  assert.equal(c.status().readyReplicas, 1);
});

test('N2 minReadySeconds 0: pods Ready just now are available', async () => {
  const c = new FakeCluster(newSet({ replicas: 2 }));
  await c.sync();
  c.makeReady('web-0', 0);
  await c.sync();
  c.makeReady('web-1', 0);
  await c.sync();
  assert.equal(c.status().availableReplicas, 2);
});

test('N3 minReadySeconds 30: availableReplicas reaches 1 once the pod has been Ready longer than 30 s', async () => {
  const c = new FakeCluster(newSet({ replicas: 1, minReadySeconds: 30 }));
  await c.sync();
  c.makeReady('web-0', 0);
  await c.sync();
  assert.equal(c.status().availableReplicas, 0);
  c.advance(30);
  await c.sync();
  assert.equal(c.status().availableReplicas, 0); // strictly after
  c.advance(1);
  await c.sync();
  assert.equal(c.status().availableReplicas, 1);
});

test('N4 availableReplicas follows minReadySeconds changes: 0 → 2; mrs 3600 → 0; mrs 0 → 2', async () => {
  const c = new FakeCluster(newSet({ replicas: 2, minReadySeconds: 30 }));
  await c.sync();
  c.makeReady('web-0', 0);
  c.advance(31);
  await c.sync();
  c.makeReady('web-1', 0);
  await c.sync();
  c.advance(5);
  await c.sync();
  assert.equal(c.status().availableReplicas, 1);
  c.advance(30);
  await c.sync();
  assert.equal(c.status().availableReplicas, 2);
  c.updateSpec((s) => { s.minReadySeconds = 3600; });
  await c.sync();
  assert.equal(c.status().availableReplicas, 0);
  c.updateSpec((s) => { s.minReadySeconds = 0; });
  await c.sync();
  assert.equal(c.status().availableReplicas, 2);
});

test('N5 with minReadySeconds 30 the sync asks to be re-run after 30 s while available ≠ replicas', async () => {
  const c = new FakeCluster(newSet({ replicas: 1, minReadySeconds: 30 }));
  assert.deepEqual(await c.sync(), { requeueAfterMs: 30000 });
  c.makeReady('web-0', 0);
  assert.deepEqual(await c.sync(), { requeueAfterMs: 30000 });
  c.advance(31);
  assert.deepEqual(await c.sync(), {});
  const plain = new FakeCluster(newSet({ replicas: 1 }));
  assert.deepEqual(await plain.sync(), {});
});

test('S4 status is written once per sync whatever fails; the sync error wins over the status error', async () => {
  const cases: { create: boolean; status: boolean; expect: RegExp | undefined }[] = [
    { create: true, status: false, expect: /create-failed/ },
    { create: false, status: true, expect: /status-failed/ },
    { create: true, status: true, expect: /create-failed/ },
    { create: false, status: false, expect: undefined },
  ];
  for (const k of cases) {
    const c = new FakeCluster(newSet({ replicas: 3 }));
    if (k.create) c.failNext('createPod', internalError('create-failed'));
    if (k.status) c.failNext('updateStatus', internalError('status-failed'));
    const err = await c.trySync();
    assert.equal(c.calls.get('updateStatus'), 1, JSON.stringify(k));
    if (k.expect) assert.match(String((err as Error)?.message), k.expect);
    else assert.equal(err, undefined);
  }
});

test('§10 status is written only when it changed, and as apps/v1 shapes it', async () => {
  const c = new FakeCluster(newSet({ replicas: 2 }));
  await c.converge();
  const writes = c.writesOf('updateStatus').length;
  for (let i = 0; i < 3; i++) await c.sync();
  assert.equal(c.writesOf('updateStatus').length, writes);
  const s = c.status();
  assert.deepEqual(Object.keys(s).sort(), ['availableReplicas', 'collisionCount', 'currentReplicas', 'currentRevision', 'observedGeneration', 'readyReplicas', 'replicas', 'updateRevision', 'updatedReplicas']);
  // A generation bump alone is written.
  c.updateSpec((sp) => { sp.minReadySeconds = 0; });
  await c.sync();
  assert.equal(c.writesOf('updateStatus').length, writes + 1);
  assert.equal(c.status().observedGeneration, 2);
});

test('§10 replicas counts terminating and condemned pods; currentReplicas/updatedReplicas skip terminating ones', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.graceful = true;
  c.scale(2);
  await c.sync(); // web-2 now terminating
  await c.sync();
  const s = c.status();
  assert.equal(s.replicas, 3);
  assert.equal(s.readyReplicas, 3);
  assert.equal(s.updatedReplicas, 2);
  assert.equal(s.currentReplicas, 2);
});

test('§10 a controller status write drops conditions (the whole status is replaced)', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  c.set.status = { replicas: 0, conditions: [{ type: 'StatusUpdate', status: 'True' }] };
  await c.sync();
  assert.equal(c.status().conditions, undefined);
});
