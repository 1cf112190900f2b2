// Catalogue §14.1: creation and scaling (rows C1–C17).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster, newSet, isReady, revisionOf } from './fake-cluster.js';

test('C1 OrderedReady creates one pod at a time, each only after its predecessor is Running and Ready', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0']);
  assert.deepEqual(c.writesOf('createClaim'), ['www-web-0']);
  // Pending, then Running-not-Ready: nothing more.
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0']);
  c.setPhase('web-0', 'Running');
  await c.sync();
  c.makeNotReady('web-0');
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0']);
  c.makeReady('web-0');
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
  c.makeReady('web-1');
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
  c.makeReady('web-2');
  await c.sync();
  assert.deepEqual(c.created, ['web-0', 'web-1', 'web-2']);
  // PVCs are created before their pods.
  const order = c.writes.filter((w) => w.op === 'createPod' || w.op === 'createClaim').map((w) => w.name);
  assert.deepEqual(order, ['www-web-0', 'web-0', 'www-web-1', 'web-1', 'www-web-2', 'web-2']);
  const s = c.status();
  assert.equal(s.replicas, 3);
  assert.equal(s.readyReplicas, 3);
  assert.equal(s.updatedReplicas, 3);
  assert.equal(s.currentReplicas, 3);
  assert.equal(s.currentRevision, s.updateRevision);
  assert.match(s.currentRevision, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(s.observedGeneration, 1);
});

test('C2 every pod carries apps.kubernetes.io/pod-index equal to its ordinal (gate on; GA)', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, start: 4 }));
  await c.converge();
  for (const name of c.podNames()) {
    const p = c.pod(name);
    assert.equal(p.metadata.labels?.['apps.kubernetes.io/pod-index'], name.split('-')[1]);
    assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], name);
    assert.equal(revisionOf(p), c.status().updateRevision);
  }
});

test('C3 Parallel creates every pod in one sync, in batches 1 then 2', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, policy: 'Parallel' }));
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(c.batches, [1, 2]);
});

test('C4 Parallel scale completes within 2 syncs; slow-start batches double and cap at 500', async () => {
  const cases: [number, number, number][] = [[3, 30, 2], [10, 1, 2], [501, 0, 10], [0, 1000, 20]];
  for (const [from, to, minConcurrent] of cases) {
    const c = new FakeCluster(newSet({ replicas: from, policy: 'Parallel', claims: [] }));
    await c.converge(10);
    c.batches = [];
    c.maxInFlightCreates = 0;
    c.scale(to);
    // Deletions are immediate in this fake, so the first sync does the work and the second
    // observes it; creations need readiness only for status.
    await c.sync();
    c.readyAll();
    await c.sync();
    assert.equal(c.pods.size, to, `${from}→${to}`);
    if (to > from) {
      assert.ok(c.maxInFlightCreates >= minConcurrent, `${from}→${to}: ${c.maxInFlightCreates} concurrent creates`);
    }
    if (from === 0 && to === 1000) {
      assert.deepEqual(c.batches.slice(0, 10), [1, 2, 4, 8, 16, 32, 64, 128, 256, 489]);
    }
  }
  // 1200 creates: the cap shows as a 500 batch.
  const big = new FakeCluster(newSet({ replicas: 1200, policy: 'Parallel', claims: [] }));
  await big.sync();
  assert.deepEqual(big.batches, [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 189]);
  assert.equal(big.pods.size, 1200);
});

test('C5 scaling 3→4 creates web-3; status replicas/ready/updated 4', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.scale(4);
  await c.converge();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2', 'web-3']);
  assert.equal(c.created.at(-1), 'web-3');
  const s = c.status();
  assert.deepEqual([s.replicas, s.readyReplicas, s.updatedReplicas], [4, 4, 4]);
});

test('C6 OrderedReady scale to 0 deletes web-2, web-1, web-0, each after the previous is gone', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.graceful = true;
  c.scale(0);
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2']);
  await c.sync(); // web-2 still terminating: blocked
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2']);
  c.reap();
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2', 'web-1']);
  c.reap();
  await c.sync();
  c.reap();
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
  assert.equal(c.pods.size, 0);
  const s = c.status();
  assert.equal(s.replicas, 0);
  assert.equal(s.readyReplicas ?? 0, 0);
  assert.equal(s.updatedReplicas ?? 0, 0);
});

test('C7 scale-up halts while a pod is NotReady, resumes in order once it is Ready', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  await c.converge();
  c.makeNotReady('web-0');
  c.scale(3);
  for (let i = 0; i < 10; i++) await c.sync();
  assert.deepEqual(c.podNames(), ['web-0']);
  c.makeReady('web-0');
  await c.converge();
  assert.deepEqual(c.created, ['web-0', 'web-1', 'web-2']);
});

test('C8 scale-down halts while pods are NotReady; once Ready, deletions go web-2, web-1, web-0', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  for (const n of ['web-0', 'web-1', 'web-2']) c.makeNotReady(n);
  c.scale(0);
  for (let i = 0; i < 10; i++) await c.sync();
  // web-2 is condemned but not the first unhealthy pod (web-0 is): nothing goes.
  assert.equal(c.pods.size, 3);
  assert.deepEqual(c.deleted, []);
  for (const n of ['web-0', 'web-1', 'web-2']) c.makeReady(n);
  await c.converge();
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
});

test('C9 Parallel scales to 3 and back to 0 without waiting for readiness', async () => {
  const c = new FakeCluster(newSet({ replicas: 1, policy: 'Parallel' }));
  await c.sync();
  c.makeNotReady('web-0');
  c.scale(3);
  await c.sync();
  assert.equal(c.pods.size, 3);
  c.scale(0);
  await c.sync();
  assert.equal(c.pods.size, 0);
  await c.sync();
  assert.equal(c.status().replicas, 0);
});

test('C10 OrderedReady 3→2 deletes web-2 when it is the first unavailable pod', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.makeNotReady('web-2');
  c.scale(2);
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2']);
});

test('C11 OrderedReady 3→2 deletes nothing while web-0 is NotReady', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.makeNotReady('web-0');
  c.scale(2);
  for (let i = 0; i < 5; i++) await c.sync();
  assert.deepEqual(c.deleted, []);
  assert.equal(c.pods.size, 3);
});

test('C12 terminating condemned pods are not deleted again; scale to 0 completes after they vanish', async () => {
  const c = new FakeCluster(newSet({ replicas: 5 }));
  await c.converge();
  c.graceful = true;
  c.scale(3);
  c.markTerminating('web-3');
  c.markTerminating('web-4');
  await c.sync();
  await c.sync();
  assert.equal(c.pods.size, 5);
  assert.deepEqual(c.deleted, []);
  c.reap();
  c.scale(0);
  await c.converge();
  assert.equal(c.pods.size, 0);
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
});

test('C13 a terminating web-0 blocks scale-up; once gone only web-0 is recreated', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  c.markTerminating('web-0');
  c.scale(5);
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
  c.removePod('web-0');
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(c.created.slice(3), ['web-0']);
});

test('C14 a deleted pod is recreated although its successor is unhealthy', async () => {
  const c = new FakeCluster(newSet({ replicas: 2 }));
  await c.converge();
  c.makeNotReady('web-1');
  c.removePod('web-0');
  await c.sync();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
  c.readyAll();
  await c.sync();
  assert.ok([...c.pods.values()].every(isReady));
});

test('C15 a set with deletionTimestamp creates no pods (status only)', async () => {
  const set = newSet({ replicas: 3 });
  set.metadata.deletionTimestamp = '2025-06-01T00:00:00Z';
  const c = new FakeCluster(set);
  await c.sync();
  assert.equal(c.pods.size, 0);
  assert.deepEqual(c.writes.filter((w) => w.op !== 'createRevision' && w.op !== 'updateStatus'), []);
});

test('C16 a set being deleted touches no orphan pod (sync half; adoption refusal is the plumbing\'s)', async () => {
  const set = newSet({ replicas: 3 });
  set.metadata.deletionTimestamp = '2025-06-01T00:00:00Z';
  const c = new FakeCluster(set);
  await c.createPod('default', { metadata: { name: 'web-1', labels: { app: 'nginx' } } });
  const before = JSON.stringify(c.pod('web-1'));
  await c.sync();
  assert.equal(c.pods.size, 1);
  assert.equal(JSON.stringify(c.pod('web-1')), before);
  assert.deepEqual(c.writesOf('updatePod'), []);
});

test('C17 scale-down waits for minReadySeconds: 3 pods Ready 10 s, mrs 30 → nothing deleted, available 0', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, minReadySeconds: 30 }));
  await c.converge(200, 3600);
  for (const n of c.podNames()) c.makeReady(n, 10);
  c.scale(1);
  await c.sync();
  assert.equal(c.pods.size, 3);
  assert.equal(c.status().availableReplicas, 0);
  c.advance(25);
  await c.sync();
  assert.equal(c.pods.size, 2);
});
