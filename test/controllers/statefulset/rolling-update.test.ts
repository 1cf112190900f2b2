// Catalogue §14.4 (rolling update, partition, OnDelete: U1–U15; U16 excluded) and §14.5
// (maxUnavailable behind the option: M1–M4; M5, metrics, excluded).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { maxUnavailableCount } from '../../../src/controllers/statefulset/max-unavailable.js';
import { rollingUpdateWithMaxUnavailable } from '../../../src/controllers/statefulset/update-phase.js';
import { StatefulPodControl } from '../../../src/controllers/statefulset/pod-control.js';
import { newStatus } from '../../../src/controllers/statefulset/status.js';
import { newStatefulSetPod, setPodRevision } from '../../../src/controllers/statefulset/pod-identity.js';
import { FakeCluster, internalError, newSet, revisionOf, imageOf, type SetOptions } from './fake-cluster.js';

async function running(o: SetOptions, maxUnavailable = false): Promise<FakeCluster> {
  const c = new FakeCluster(newSet(o));
  c.maxUnavailableOption = maxUnavailable;
  await c.converge();
  return c;
}

function images(c: FakeCluster): string[] {
  return c.podNames().map((n) => imageOf(c.pod(n)));
}

test('U1 monotonic image update: web-2 first (currentReplicas 2), then web-1, then web-0 once each predecessor is available', async () => {
  const c = await running({ replicas: 3 });
  const original = c.status().currentRevision;
  c.setImage('foo');
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2']);
  assert.equal(c.status().currentReplicas, 2);
  await c.sync();
  assert.equal(c.created.at(-1), 'web-2');
  assert.equal(revisionOf(c.pod('web-2')), c.status().updateRevision);
  await c.sync(); // web-2 Pending: nothing more
  assert.deepEqual(c.deleted, ['web-2']);
  c.readyAll();
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2', 'web-1']);
  await c.converge();
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
  assert.deepEqual(images(c), ['foo', 'foo', 'foo']);
  assert.equal(c.status().currentRevision, c.status().updateRevision);
  assert.notEqual(c.status().currentRevision, original);
});

for (const policy of ['OrderedReady', 'Parallel'] as const) {
  const tag = policy === 'Parallel' ? 'U4 (burst) ' : '';
  test(`${tag}U2 image update and scale up: all 5 pods end on the new image (${policy})`, async () => {
    const c = await running({ replicas: 3, policy });
    c.updateSpec((s) => { s.replicas = 5; s.template.spec.containers[0].image = 'foo'; });
    await c.converge();
    assert.deepEqual(images(c), ['foo', 'foo', 'foo', 'foo', 'foo']);
    assert.equal(c.status().currentRevision, c.status().updateRevision);
  });

  test(`${tag}U3 image update and scale down: web-4 and web-3 go first, then 3 pods on the new image (${policy})`, async () => {
    const c = await running({ replicas: 5, policy });
    c.updateSpec((s) => { s.replicas = 3; s.template.spec.containers[0].image = 'foo'; });
    await c.converge();
    assert.deepEqual(c.deleted.slice(0, 2).sort(), ['web-3', 'web-4']);
    if (policy === 'OrderedReady') assert.deepEqual(c.deleted, ['web-4', 'web-3', 'web-2', 'web-1', 'web-0']);
    assert.deepEqual(images(c), ['foo', 'foo', 'foo']);
  });
}

test('U4 (burst) U1 Parallel image update still replaces one pod at a time, highest first', async () => {
  const c = await running({ replicas: 3, policy: 'Parallel' });
  c.setImage('foo');
  await c.converge();
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
  assert.deepEqual(images(c), ['foo', 'foo', 'foo']);
});

test('U5 a failing delete in the update phase: error, currentReplicas still 3; next sync currentReplicas 2', async () => {
  const c = await running({ replicas: 3 });
  c.setImage('foo');
  c.failNext('deletePod');
  const err = await c.trySync();
  assert.ok(err);
  assert.equal(c.status().currentReplicas, 3);
  assert.notEqual(c.status().currentRevision, c.status().updateRevision);
  await c.sync();
  assert.equal(c.status().currentReplicas, 2);
});

for (const scaleTo of [3, 5]) {
  test(`U6 partition 2 keeps ordinals 0,1 on the old image; ordinals ≥2 get the new one (replicas 3→${scaleTo})`, async () => {
    const c = await running({ replicas: 3, partition: 2 });
    c.updateSpec((s) => { s.replicas = scaleTo; s.template.spec.containers[0].image = 'foo'; });
    await c.converge();
    const want = ['nginx:1', 'nginx:1', ...Array(scaleTo - 2).fill('foo')];
    assert.deepEqual(images(c), want);
    assert.notEqual(c.status().currentRevision, c.status().updateRevision);
  });
}

test('U7 canary and phased rollout: partition 3 → nothing; 2 → web-2; deleted pods come back on their side of the partition; 1, 0 → all', async () => {
  const c = await running({ replicas: 3, partition: 3 });
  const original = c.status().currentRevision;
  c.setImage('foo');
  await c.converge();
  assert.deepEqual(c.deleted, []);
  const updated = c.status().updateRevision;
  assert.notEqual(updated, original);
  c.updateSpec((s) => { s.updateStrategy.rollingUpdate.partition = 2; });
  await c.converge();
  assert.deepEqual(images(c), ['nginx:1', 'nginx:1', 'foo']);
  c.removePod('web-0');
  c.removePod('web-2');
  await c.converge();
  assert.equal(revisionOf(c.pod('web-0')), original);
  assert.equal(imageOf(c.pod('web-0')), 'nginx:1');
  assert.equal(revisionOf(c.pod('web-2')), updated);
  c.updateSpec((s) => { s.updateStrategy.rollingUpdate.partition = 1; });
  await c.converge();
  assert.deepEqual(images(c), ['nginx:1', 'foo', 'foo']);
  c.updateSpec((s) => { s.updateStrategy.rollingUpdate.partition = 0; });
  await c.converge();
  assert.deepEqual(images(c), ['foo', 'foo', 'foo']);
  assert.equal(c.status().currentRevision, updated);
});

test('U8 partition 1 with a held pod-0: updated 2, ready 3; deleting pod-0 → ready 2; once gone it returns on the old revision', async () => {
  const c = await running({ replicas: 3, partition: 1 });
  const original = c.status().currentRevision;
  c.setImage('foo');
  await c.converge();
  assert.equal(c.status().updatedReplicas, 2);
  assert.equal(c.status().readyReplicas, 3);
  // The finalizer holds the pod: terminating, its containers stopped.
  c.markTerminating('web-0');
  c.makeNotReady('web-0');
  c.pod('web-0').metadata.deletionTimestamp = c.iso();
  await c.sync();
  assert.equal(c.status().readyReplicas, 2);
  c.removePod('web-0');
  await c.converge();
  assert.equal(revisionOf(c.pod('web-0')), original);
  assert.deepEqual(images(c), ['nginx:1', 'foo', 'foo']);
});

test('U9 OnDelete: a template change deletes nothing; deleted pods come back on the update revision; scale-up and 0→3 too', async () => {
  const c = await running({ replicas: 3, strategy: 'OnDelete' });
  const original = c.status().currentRevision;
  c.setImage('foo');
  for (let i = 0; i < 5; i++) await c.sync();
  assert.deepEqual(c.deleted, []);
  const updated = c.status().updateRevision;
  assert.notEqual(updated, original);
  assert.equal(c.status().currentRevision, original);
  // Scale up: new ordinals on the update revision, old ones untouched.
  c.scale(5);
  await c.converge();
  assert.deepEqual(images(c), ['nginx:1', 'nginx:1', 'nginx:1', 'foo', 'foo']);
  assert.equal(revisionOf(c.pod('web-3')), updated);
  // Delete all: recreated on the update revision.
  for (const n of c.podNames()) c.removePod(n);
  await c.converge();
  assert.deepEqual(images(c), ['foo', 'foo', 'foo', 'foo', 'foo']);
  for (const n of c.podNames()) assert.equal(revisionOf(c.pod(n)), updated);
  // Scale to 0 and back.
  c.setImage('bar');
  c.scale(0);
  await c.converge();
  c.scale(3);
  await c.converge();
  assert.deepEqual(images(c), ['bar', 'bar', 'bar']);
});

test('U10 OnDelete: once every pod is recreated on the new revision, currentRevision is promoted (#136833)', async () => {
  const c = await running({ replicas: 3, strategy: 'OnDelete' });
  c.setImage('foo');
  await c.sync();
  for (const n of c.podNames()) c.removePod(n);
  await c.converge();
  const s = c.status();
  assert.equal(s.updatedReplicas, 3);
  assert.equal(s.currentRevision, s.updateRevision);
  assert.equal(s.currentReplicas, 3);
});

test('U11 rolling update waits for minReadySeconds: Ready 10 s ago → no deletion, available 0; Ready 60 s ago → available 2, update proceeds', async () => {
  const c = new FakeCluster(newSet({ replicas: 2, minReadySeconds: 30 }));
  await c.converge(200, 3600);
  for (const n of c.podNames()) c.makeReady(n, 10);
  c.setImage('foo');
  await c.sync();
  assert.deepEqual(c.deleted, []);
  assert.equal(c.status().availableReplicas, 0);
  for (const n of c.podNames()) c.makeReady(n, 60);
  await c.sync();
  assert.equal(c.status().availableReplicas, 2);
  assert.deepEqual(c.deleted, ['web-1']);
});

test('U12 partition 2, minReadySeconds 30, pods Ready 10 s: all 4 pods stay', async () => {
  const c = new FakeCluster(newSet({ replicas: 4, minReadySeconds: 30, partition: 2 }));
  await c.converge(200, 3600);
  for (const n of c.podNames()) c.makeReady(n, 10);
  c.setImage('foo');
  await c.sync();
  await c.sync();
  assert.equal(c.pods.size, 4);
  assert.deepEqual(c.deleted, []);
});

test('U13 OnDelete ignores minReadySeconds: update revision set, nothing deleted, available 0', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, minReadySeconds: 30, strategy: 'OnDelete' }));
  await c.converge(200, 3600);
  for (const n of c.podNames()) c.makeReady(n, 10);
  const original = c.status().updateRevision;
  c.setImage('foo');
  await c.sync();
  assert.notEqual(c.status().updateRevision, original);
  assert.deepEqual(c.deleted, []);
  assert.equal(c.status().availableReplicas, 0);
});

test('U14 OrderedReady forced rollback: reverting does not replace the broken web-2 until it is deleted by hand', async () => {
  const c = await running({ replicas: 3 });
  const original = c.status().currentRevision;
  c.setImage('bad');
  await c.sync(); // deletes web-2
  await c.sync(); // recreates it on the bad revision
  c.setPhase('web-2', 'Running');
  c.makeNotReady('web-2');
  c.setImage('nginx:1');
  for (let i = 0; i < 5; i++) await c.sync();
  assert.equal(c.status().updateRevision, original);
  assert.equal(c.revisions.get(original)!.revision, 3); // rollback bumped it
  assert.equal(imageOf(c.pod('web-2')), 'bad');
  assert.deepEqual(c.deleted, ['web-2']);
  c.removePod('web-2');
  await c.converge();
  assert.deepEqual(images(c), ['nginx:1', 'nginx:1', 'nginx:1']);
  assert.equal(revisionOf(c.pod('web-2')), original);
});

test('U15 Parallel (option off): reverting replaces the broken web-2 automatically', async () => {
  const c = await running({ replicas: 3, policy: 'Parallel' });
  const original = c.status().currentRevision;
  c.setImage('bad');
  await c.sync();
  await c.sync();
  c.setPhase('web-2', 'Running');
  c.makeNotReady('web-2');
  c.setImage('nginx:1');
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2', 'web-2']);
  await c.sync();
  assert.equal(revisionOf(c.pod('web-2')), original);
  assert.equal(imageOf(c.pod('web-2')), 'nginx:1');
});

// ---------------------------------------------------------------- maxUnavailable (option on)

test('M1 OrderedReady, partition 3, maxUnavailable 2: 5 and 4 go together; recreated in order; then 3; 0–2 untouched', async () => {
  const c = await running({ name: 'foo', replicas: 6, partition: 3, maxUnavailable: 2 }, true);
  c.setImage('foo');
  await c.sync();
  assert.deepEqual(c.deleted, ['foo-5', 'foo-4']);
  assert.deepEqual(c.podNames(), ['foo-0', 'foo-1', 'foo-2', 'foo-3']);
  await c.sync();
  assert.deepEqual(c.podNames(), ['foo-0', 'foo-1', 'foo-2', 'foo-3', 'foo-4']);
  c.makeReady('foo-4');
  await c.sync();
  assert.deepEqual(c.podNames(), ['foo-0', 'foo-1', 'foo-2', 'foo-3', 'foo-4', 'foo-5']);
  c.makeReady('foo-5');
  await c.sync();
  assert.deepEqual(c.deleted, ['foo-5', 'foo-4', 'foo-3']);
  assert.deepEqual(c.podNames(), ['foo-0', 'foo-1', 'foo-2', 'foo-4', 'foo-5']);
  await c.sync();
  assert.equal(c.pods.size, 6);
  c.makeReady('foo-3');
  for (let i = 0; i < 3; i++) await c.sync();
  assert.deepEqual(c.deleted, ['foo-5', 'foo-4', 'foo-3']);
});

test('M2 Parallel, partition 3, maxUnavailable 2: 4 and 5 recreated together; foo-4 Ready + foo-5 NotReady → foo-3 goes', async () => {
  const c = await running({ name: 'foo', replicas: 6, partition: 3, maxUnavailable: 2, policy: 'Parallel' }, true);
  c.setImage('foo');
  await c.sync();
  assert.deepEqual(c.deleted, ['foo-5', 'foo-4']);
  await c.sync();
  assert.equal(c.pods.size, 6);
  c.makeReady('foo-4');
  c.setPhase('foo-5', 'Running');
  c.makeNotReady('foo-5');
  await c.sync();
  assert.deepEqual(c.deleted, ['foo-5', 'foo-4', 'foo-3']);
});

test('M3 the update phase deletes max(0, maxUnavailable − unavailable) pods, pods below the partition counting', async () => {
  const cases: [number[], number][] = [
    [[], 2], [[5], 1], [[3], 1], [[4], 1], [[5, 4], 0], [[5, 3], 0], [[4, 3], 0], [[5, 4, 3], 0], [[2], 1], [[1], 1],
  ];
  for (const [terminating, expected] of cases) {
    const set = newSet({ name: 'foo', replicas: 6, partition: 3, maxUnavailable: 2, claims: [] });
    const c = new FakeCluster(set);
    const replicas: KObject[] = [];
    for (let i = 0; i < 6; i++) {
      const p = newStatefulSetPod(set, i);
      setPodRevision(p, 'foo-old');
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
      if (terminating.includes(i)) p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      c.pods.set(p.metadata.name!, p);
      replicas.push(p);
    }
    await rollingUpdateWithMaxUnavailable({
      set, replicas, updateRevision: 'foo-new', status: newStatus(1, 'foo-old', 'foo-new', 0), podControl: new StatefulPodControl(c), now: c.now(),
    });
    assert.equal(c.deleted.length, expected, `terminating ${JSON.stringify(terminating)}: deleted ${c.deleted}`);
  }
});

test('M4 maxUnavailable as a count: percentages round down, at least 1, unset is 1', () => {
  assert.equal(maxUnavailableCount('10%', 25), 2);
  assert.equal(maxUnavailableCount('50%', 5), 2);
  assert.equal(maxUnavailableCount('10%', 5), 1);
  assert.equal(maxUnavailableCount('100%', 5), 5);
  assert.equal(maxUnavailableCount(undefined, 5), 1);
  assert.equal(maxUnavailableCount(3, 0), 3);
  assert.equal(maxUnavailableCount(0, 5), 1);
});

test('M (option off) maxUnavailable in the spec is ignored: one pod at a time', async () => {
  const c = await running({ replicas: 4, maxUnavailable: 3 }, false);
  c.setImage('foo');
  await c.sync();
  assert.deepEqual(c.deleted, ['web-3']);
});

test('#137666 Parallel with maxUnavailable 1: an old, broken pod is replaced after a revert (not stuck)', async () => {
  const c = await running({ replicas: 3, policy: 'Parallel', maxUnavailable: 1 }, true);
  const original = c.status().currentRevision;
  c.setImage('bad');
  await c.sync();
  await c.sync();
  c.setPhase('web-2', 'Running');
  c.makeNotReady('web-2');
  c.setImage('nginx:1');
  await c.sync();
  assert.deepEqual(c.deleted, ['web-2', 'web-2']);
  await c.sync();
  assert.equal(revisionOf(c.pod('web-2')), original);
});

test('U5b status write failure after a successful sync is returned; a sync error wins over a status error', async () => {
  const c = await running({ replicas: 3 });
  c.setImage('foo');
  c.failNext('updateStatus', internalError('status'));
  c.failNext('deletePod', internalError('delete'));
  const before = c.calls.get('updateStatus') ?? 0;
  const err = await c.trySync();
  assert.match(String((err as Error).message), /delete/);
  assert.equal((c.calls.get('updateStatus') ?? 0) - before, 1);
});
