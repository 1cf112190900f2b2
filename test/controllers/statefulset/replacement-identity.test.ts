// Catalogue §14.2: pod replacement, failure and identity (R1–R3, R5–R12, R14; R4 and R13
// need a node agent and storage).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, type KObject } from '../../../src/api/object.js';
import { StatusError } from '../../../src/api/errors.js';
import { StatefulPodControl } from '../../../src/controllers/statefulset/pod-control.js';
import {
  identityMatches, isMemberOf, newStatefulSetPod, parentAndOrdinal, storageMatches,
} from '../../../src/controllers/statefulset/pod-identity.js';
import { FakeCluster, internalError, newSet } from './fake-cluster.js';

function podWithName(set: KObject, ordinal: number): KObject {
  return newStatefulSetPod(set, ordinal);
}

test('R1 deleted pods are recreated under the same names and reuse their claims', async () => {
  const c = new FakeCluster(newSet({ replicas: 5 }));
  await c.converge();
  const claimUids = new Map([...c.claims].map(([n, cl]) => [n, cl.metadata.uid]));
  for (const n of ['web-0', 'web-2', 'web-4']) c.removePod(n);
  await c.converge();
  assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
  assert.deepEqual(c.created.slice(5), ['web-0', 'web-2', 'web-4']);
  for (const [n, cl] of c.claims) {
    assert.equal(cl.metadata.uid, claimUids.get(n), `claim ${n} reused`);
    assert.equal((cl.metadata.ownerReferences ?? []).length, 0, `claim ${n} has no owner under Retain`);
  }
  assert.equal(c.status().replicas, 5);
});

for (const phase of ['Failed', 'Succeeded']) {
  for (const policy of ['OrderedReady', 'Parallel'] as const) {
    test(`R2 a ${phase} pod is deleted on one sync and recreated on the next (${policy})`, async () => {
      const c = new FakeCluster(newSet({ replicas: 3, policy }));
      await c.sync();
      for (const n of c.podNames()) c.setPhase(n, 'Pending');
      c.setPhase('web-0', phase);
      const createsBefore = c.created.length;
      await c.sync();
      assert.deepEqual(c.deleted, ['web-0']);
      assert.equal(c.created.length, createsBefore);
      await c.sync();
      assert.deepEqual(c.deleted, ['web-0']);
      assert.equal(c.created.length, policy === 'Parallel' ? 4 : 2);
      assert.equal(c.created.at(-1), 'web-0');
      assert.equal((c.pod('web-0').status as { phase: string }).phase, 'Pending');
    });
  }
}

test('R3 a failed delete of a Failed pod returns the error; the next sync deletes then recreates', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.sync();
  c.setPhase('web-0', 'Failed');
  c.failNext('deletePod');
  const err = await c.trySync();
  assert.ok(err instanceof StatusError && err.reason === 'InternalError', String(err));
  assert.equal(c.calls.get('deletePod'), 1);
  assert.ok(c.events.some((e) => e.reason === 'FailedDelete' && e.message.startsWith('delete Pod web-0 in StatefulSet web failed error: ')));
  await c.sync();
  assert.equal(c.calls.get('deletePod'), 2);
  await c.sync();
  assert.equal(c.created.at(-1), 'web-0');
});

test('R5 a pod create failing after 2 creates returns InternalError; a retry completes', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  let creates = 0;
  c.onCall('createPod', () => (++creates === 3 ? internalError() : undefined));
  let failed = 0;
  for (let i = 0; i < 20; i++) {
    const err = await c.trySync();
    if (err) { failed++; assert.ok(err instanceof StatusError && err.reason === 'InternalError'); }
    c.readyAll();
  }
  assert.equal(failed, 1);
  const s = c.status();
  assert.deepEqual([s.replicas, s.readyReplicas, s.updatedReplicas], [3, 3, 3]);
  assert.ok(c.events.some((e) => e.type === 'Warning' && e.reason === 'FailedCreate' && e.message.startsWith('create Pod web-2 in StatefulSet web failed error:')));
});

test('R6 a pod with a broken identity is repaired through Update; an Update failure is returned', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  const p = c.pod('web-0');
  p.metadata.labels = { ...p.metadata.labels, 'statefulset.kubernetes.io/pod-name': 'goo-0' };
  c.failNext('updatePod');
  const err = await c.trySync();
  assert.ok(err instanceof StatusError && err.reason === 'InternalError');
  assert.equal(c.calls.get('updatePod'), 1);
  assert.ok(c.events.some((e) => e.reason === 'FailedUpdate'));
  await c.sync();
  assert.equal(c.pod('web-0').metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
});

test('R7 UpdateStatefulPod restores identity and records one Normal event', async () => {
  const set = newSet({ replicas: 3 });
  const c = new FakeCluster(set);
  const pod = podWithName(set, 0);
  pod.metadata.labels = { ...pod.metadata.labels, 'statefulset.kubernetes.io/pod-name': 'goo-0' };
  pod.metadata.namespace = 'other';
  await c.createPod('default', pod);
  await c.createClaim('default', { metadata: { name: 'www-web-0' } });
  c.events.length = 0;
  await new StatefulPodControl(c).updateStatefulPod(set, c.pod('web-0'));
  assert.equal(c.calls.get('updatePod'), 1);
  assert.ok(identityMatches(set, c.pod('web-0')));
  assert.deepEqual(c.events, [{ type: 'Normal', reason: 'SuccessfulUpdate', message: 'update Pod web-0 in StatefulSet web successful' }]);
});

test('R8 UpdateStatefulPod of a consistent pod makes no API call and records no event', async () => {
  const set = newSet({ replicas: 3 });
  const c = new FakeCluster(set);
  await c.createPod('default', podWithName(set, 0));
  await c.createClaim('default', { metadata: { name: 'www-web-0' } });
  const writes = c.writes.length;
  c.events.length = 0;
  await new StatefulPodControl(c).updateStatefulPod(set, c.pod('web-0'));
  assert.equal(c.writes.length, writes);
  assert.deepEqual(c.events, []);
});

test('R9 UpdateStatefulPod of a pod lacking its claim volume creates the claim and updates the pod (2 Normal events)', async () => {
  const set = newSet({ replicas: 3 });
  const c = new FakeCluster(set);
  const pod = podWithName(set, 0);
  delete (pod.spec as Record<string, unknown>).volumes;
  await c.createPod('default', pod);
  c.events.length = 0;
  await new StatefulPodControl(c).updateStatefulPod(set, c.pod('web-0'));
  assert.ok(c.claims.has('www-web-0'));
  assert.ok(storageMatches(set, c.pod('web-0')));
  assert.deepEqual(c.events.map((e) => [e.type, e.reason, e.message]), [
    ['Normal', 'SuccessfulCreate', 'create Claim www-web-0 Pod web-0 in StatefulSet web success'],
    ['Normal', 'SuccessfulUpdate', 'update Pod web-0 in StatefulSet web successful'],
  ]);
});

test('R10 the claim of a Pending pod is recreated when deleted (not so for a Running pod)', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  await c.sync();
  c.claims.delete('www-web-0');
  await c.sync();
  assert.ok(c.claims.has('www-web-0'));
  c.makeReady('web-0');
  c.claims.delete('www-web-0');
  await c.sync();
  assert.ok(!c.claims.has('www-web-0'));
});

test('R11 CreateStatefulPod onto a claim being deleted fails, creates no pod, one Warning', async () => {
  const set = newSet({ replicas: 1 });
  const c = new FakeCluster(set);
  await c.createClaim('default', { metadata: { name: 'www-web-0', deletionTimestamp: '2025-01-01T00:00:00Z' } });
  c.events.length = 0;
  await assert.rejects(new StatefulPodControl(c).createStatefulPod(set, podWithName(set, 0)), /pvc www-web-0 is being deleted/);
  assert.equal(c.pods.size, 0);
  assert.deepEqual(c.events.map((e) => [e.type, e.reason]), [['Warning', 'FailedCreate']]);
  assert.equal(c.events[0]!.message, 'create Pod web-0 in StatefulSet web failed error: pvc www-web-0 is being deleted');
});

test('R12 CreateStatefulPod when pod and claim exist returns AlreadyExists and records nothing', async () => {
  const set = newSet({ replicas: 1 });
  const c = new FakeCluster(set);
  await c.createPod('default', podWithName(set, 0));
  await c.createClaim('default', { metadata: { name: 'www-web-0' } });
  c.events.length = 0;
  await assert.rejects(new StatefulPodControl(c).createStatefulPod(set, podWithName(set, 0)), (e: unknown) => e instanceof StatusError && e.reason === 'AlreadyExists');
  assert.deepEqual(c.events, []);
});

test('R12b claim events: successful create → 2 Normal; claim create failure → 2 Warnings; claim get failure → 2 Warnings; pod create failure → Normal + Warning', async () => {
  const set = newSet({ replicas: 1 });
  const run = async (setup: (c: FakeCluster) => void): Promise<string[]> => {
    const c = new FakeCluster(set);
    setup(c);
    await new StatefulPodControl(c).createStatefulPod(set, podWithName(set, 0)).catch(() => undefined);
    return c.events.map((e) => `${e.type}/${e.reason}`);
  };
  assert.deepEqual(await run(() => {}), ['Normal/SuccessfulCreate', 'Normal/SuccessfulCreate']);
  assert.deepEqual(await run((c) => c.failNext('createClaim')), ['Warning/FailedCreate', 'Warning/FailedCreate']);
  assert.deepEqual(await run((c) => c.failNext('getClaim')), ['Warning/FailedCreate', 'Warning/FailedCreate']);
  assert.deepEqual(await run((c) => c.failNext('createPod')), ['Normal/SuccessfulCreate', 'Warning/FailedCreate']);
  const c = new FakeCluster(set);
  c.failNext('createClaim');
  await new StatefulPodControl(c).createStatefulPod(set, podWithName(set, 0)).catch(() => undefined);
  assert.equal(c.events[0]!.message, 'create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: Internal error occurred: fake internal error');
  assert.equal(c.events[1]!.message, 'create Pod web-0 in StatefulSet web failed error: failed to create PVC www-web-0: Internal error occurred: fake internal error');
});

test('R14 names, membership, identity and storage predicates', () => {
  assert.deepEqual(parentAndOrdinal('foo-1'), { parent: 'foo', ordinal: 1 });
  assert.deepEqual(parentAndOrdinal('1-bar'), { parent: '', ordinal: -1 });
  assert.deepEqual(parentAndOrdinal('a-b-12'), { parent: 'a-b', ordinal: 12 });
  const set = newSet({ name: 'foo' });
  const pod = newStatefulSetPod(set, 1);
  assert.ok(isMemberOf(set, pod));
  assert.ok(!isMemberOf(set, { metadata: { name: 'xfoo-1' } }));
  assert.ok(identityMatches(set, pod));
  const wrongName = clone(pod); wrongName.metadata.name = 'foo-x';
  assert.ok(!identityMatches(set, wrongName));
  const wrongNs = clone(pod); wrongNs.metadata.namespace = 'other';
  assert.ok(!identityMatches(set, wrongNs));
  const wrongLabel = clone(pod); wrongLabel.metadata.labels!['statefulset.kubernetes.io/pod-name'] = 'bar';
  assert.ok(!identityMatches(set, wrongLabel));
  assert.ok(storageMatches(set, pod));
  const noVol = clone(pod); (noVol.spec as any).volumes = [];
  assert.ok(!storageMatches(set, noVol));
  const notPvc = clone(pod); (notPvc.spec as any).volumes = [{ name: 'www', emptyDir: {} }];
  assert.ok(!storageMatches(set, notPvc));
  const wrongClaim = clone(pod); (wrongClaim.spec as any).volumes = [{ name: 'www', persistentVolumeClaim: { claimName: 'www-foo-2' } }];
  assert.ok(!storageMatches(set, wrongClaim));
  const noOrdinal = clone(pod); noOrdinal.metadata.name = 'foo';
  assert.ok(!storageMatches(set, noOrdinal));
});

test('§7 pod construction: labels, hostname/subdomain, controllerRef, volumes replace same-named template volumes', () => {
  const set = newSet({ name: 'web', serviceName: 'nginx' });
  (set.spec as any).template.spec.volumes = [{ name: 'www', emptyDir: {} }, { name: 'config', configMap: { name: 'c' } }];
  (set.spec as any).template.metadata.annotations = { a: 'b' };
  const pod = newStatefulSetPod(set, 2);
  assert.equal(pod.metadata.name, 'web-2');
  assert.equal(pod.metadata.generateName, 'web-');
  assert.deepEqual(pod.metadata.labels, { app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' });
  assert.deepEqual(pod.metadata.annotations, { a: 'b' });
  assert.equal((pod.spec as any).hostname, 'web-2');
  assert.equal((pod.spec as any).subdomain, 'nginx');
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-set-web', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual((pod.spec as any).volumes, [
    { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } },
    { name: 'config', configMap: { name: 'c' } },
  ]);
});
