// Catalogue §14.3: revisions and history (H1–H11; H12, adoption of orphan revisions, is
// the plumbing's and tested under plumbing/).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { applyRevision } from '../../../src/controllers/history/revision-data.js';
import { newRevision } from '../../../src/controllers/history/revisions.js';
import { FakeCluster, internalError, newSet, revisionOf, imageOf } from './fake-cluster.js';

function revNumbers(c: FakeCluster): Record<string, number> {
  return Object.fromEntries([...c.revisions].map(([n, r]) => [n, r.revision as number]));
}

test('H1 the first sync creates revision 1; current == update == it', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  await c.sync();
  assert.equal(c.revisions.size, 1);
  const [name, rev] = [...c.revisions][0]!;
  assert.equal(rev.revision, 1);
  assert.equal(c.status().currentRevision, name);
  assert.equal(c.status().updateRevision, name);
  assert.equal(rev.metadata.labels?.['controller.kubernetes.io/hash'], name.slice('web-'.length));
  assert.equal(rev.metadata.labels?.app, 'nginx');
  assert.deepEqual(rev.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-set-web', controller: true, blockOwnerDeletion: true }]);
});

test('H2 a template change creates revision 2; current stays revision 1', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  await c.converge();
  const rev0 = c.status().currentRevision;
  c.setImage('nginx:2');
  await c.sync();
  assert.equal(c.revisions.size, 2);
  const rev1 = c.status().updateRevision;
  assert.notEqual(rev1, rev0);
  assert.equal(c.status().currentRevision, rev0);
  assert.deepEqual(revNumbers(c), { [rev0]: 1, [rev1]: 2 });
});

test('H3 a template equal to the newest revision makes no new revision', async () => {
  const c = new FakeCluster(newSet({ replicas: 1 }));
  await c.converge();
  c.setImage('nginx:2');
  await c.sync();
  const rev1 = c.status().updateRevision;
  for (let i = 0; i < 3; i++) await c.sync();
  assert.equal(c.revisions.size, 2);
  assert.equal(c.status().updateRevision, rev1);
  assert.deepEqual(c.writesOf('updateRevision'), []);
});

test('H4 a template equal to an older revision bumps that revision (rollback) instead of creating one', async () => {
  const c = new FakeCluster(newSet({ replicas: 1, rollingUpdateBlock: true, partition: 1 }));
  await c.converge();
  const rev0 = c.status().currentRevision;
  c.setImage('nginx:2');
  await c.sync();
  const rev1 = c.status().updateRevision;
  c.setImage('nginx:3');
  await c.sync();
  const rev2 = c.status().updateRevision;
  c.setImage('nginx:2');
  await c.sync();
  assert.equal(c.revisions.size, 3);
  assert.equal(c.status().updateRevision, rev1);
  assert.equal(c.status().currentRevision, rev0);
  assert.deepEqual(revNumbers(c), { [rev0]: 1, [rev1]: 4, [rev2]: 3 });
  assert.deepEqual(c.writesOf('updateRevision'), [rev1]);
});

test('H5 rolling update in reverse ordinal order, completion promotes; reverting reuses the original revision', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  const original = c.status().currentRevision;
  c.setImage('nginx:2');
  await c.converge();
  const updated = c.status().updateRevision;
  assert.notEqual(updated, original);
  assert.deepEqual(c.deleted, ['web-2', 'web-1', 'web-0']);
  assert.equal(c.status().currentRevision, updated);
  c.setImage('nginx:1');
  await c.converge();
  assert.equal(c.status().updateRevision, original);
  assert.equal(c.status().currentRevision, original);
  assert.equal(c.revisions.size, 2);
  for (const n of c.podNames()) {
    assert.equal(imageOf(c.pod(n)), 'nginx:1');
    assert.equal(revisionOf(c.pod(n)), original);
  }
});

test('H6 replicas, updateStrategy, minReadySeconds, retention policy, set labels/annotations make no revision and restart nothing', async () => {
  const c = new FakeCluster(newSet({ replicas: 3 }));
  await c.converge();
  const rev = c.status().updateRevision;
  c.updateSpec((s) => {
    s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    s.minReadySeconds = 5;
    s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
  });
  c.set.metadata.labels = { team: 'a' };
  c.set.metadata.annotations = { note: 'x' };
  await c.converge(200, 3600);
  c.scale(4);
  await c.converge();
  assert.equal(c.revisions.size, 1);
  assert.equal(c.status().updateRevision, rev);
  assert.deepEqual(c.deleted, []);
});

for (const limit of [2, 0, 5, -2]) {
  test(`H7 history is truncated to revisionHistoryLimit ${limit} (+ live revisions) after each rollout`, async () => {
    const c = new FakeCluster(newSet({ replicas: 3, revisionHistoryLimit: limit }));
    await c.converge();
    for (let i = 1; i <= 10; i++) {
      c.setImage(`nginx:v${i}`);
      await c.converge();
      // One more sync: truncation runs on the sync that sees every pod converged.
      await c.sync();
      if (limit >= 0) assert.ok(c.revisions.size <= limit + 2, `after rollout ${i}: ${c.revisions.size} revisions`);
      else assert.equal(c.revisions.size, i + 1);
    }
    if (limit >= 0) assert.ok(c.revisions.size <= limit + 1);
  });
}

test('H8 history stays within the limit when status writes fail (2 failures per rollout)', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, revisionHistoryLimit: 2 }));
  await c.converge();
  for (let i = 0; i < 2 + 5; i++) {
    c.setImage(`foo-${i}`);
    c.failNext('updateStatus', internalError('API server failed'), 2);
    let done = false;
    for (let k = 0; k < 100 && !done; k++) {
      const err = await c.trySync();
      c.readyAll();
      const s = c.status();
      done = !err && c.settled() && s.currentRevision === s.updateRevision &&
        c.podNames().every((n) => revisionOf(c.pod(n)) === s.updateRevision) && c.podNames().every((n) => c.pod(n).spec && (c.pod(n).spec as any).containers[0].image === `foo-${i}`);
    }
    assert.ok(done, `rollout ${i} completed`);
    await c.sync();
    assert.ok(c.revisions.size <= 2 + 2, `after rollout ${i}: ${c.revisions.size} revisions`);
  }
});

test('H9 a name collision with other data bumps collisionCount and picks another name', async () => {
  const set = newSet({ replicas: 1 });
  const expected = newRevision(set, 1, 0);
  const c = new FakeCluster(set);
  // Someone else's data under our name.
  c.revisions.set(expected.metadata.name!, { ...expected, data: { spec: { template: { $patch: 'replace', metadata: {}, spec: { containers: [] } } } }, metadata: { ...expected.metadata, ownerReferences: [] } });
  await c.sync();
  assert.equal(c.status().collisionCount, 1);
  assert.notEqual(c.status().updateRevision, expected.metadata.name);
  assert.match(c.status().updateRevision, /^web-/);
  assert.ok(c.revisions.has(c.status().updateRevision));
  // Stable afterwards: the next sync finds it.
  await c.sync();
  assert.equal(c.status().collisionCount, 1);
  assert.equal(c.writesOf('createRevision').length, 1);
});

test('H9b an existing revision under our name with the same data is reused, not a collision', async () => {
  const set = newSet({ replicas: 1 });
  const expected = newRevision(set, 1, 0);
  const c = new FakeCluster(set);
  c.revisions.set(expected.metadata.name!, { ...expected, metadata: { ...expected.metadata, ownerReferences: [] } });
  await c.sync();
  assert.equal(c.status().collisionCount, 0);
  assert.equal(c.status().updateRevision, expected.metadata.name);
});

/** Objects exactly as a 1.33 cluster stored them (upstream TestStatefulSetCompatibility). */
function compatObjects(): { set: KObject; pod: KObject; revision: KObject; pvc: KObject } {
  const ref = { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: 'test', uid: 'ssuid' };
  const set: KObject = {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { creationTimestamp: '2025-10-31T18:19:02Z', generation: 1, labels: { sslabel: 'value' }, name: 'test', namespace: 'test', resourceVersion: '123', uid: 'ssuid' },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady', replicas: 1, revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'foo' } }, serviceName: '',
      template: {
        metadata: { annotations: { test: 'value' }, creationTimestamp: null, labels: { app: 'foo' } },
        spec: {
          containers: [{ image: 'test', imagePullPolicy: 'Always', name: 'test', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
        },
      },
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [{
        apiVersion: 'v1', kind: 'PersistentVolumeClaim',
        metadata: { annotations: { key: 'value' }, creationTimestamp: null, labels: { key: 'value' }, name: 'test' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      }],
    },
    status: { availableReplicas: 1, collisionCount: 0, currentReplicas: 1, currentRevision: 'test-c77f6d978', observedGeneration: 1, readyReplicas: 1, replicas: 1, updateRevision: 'test-c77f6d978', updatedReplicas: 1 },
  };
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      annotations: { test: 'value' }, creationTimestamp: '2025-10-31T18:19:02Z', generateName: 'test-', generation: 1,
      labels: { app: 'foo', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': 'test-c77f6d978', 'statefulset.kubernetes.io/pod-name': 'test-0' },
      name: 'test-0', namespace: 'test', ownerReferences: [ref], resourceVersion: '345', uid: 'poduid',
    },
    spec: {
      containers: [{ image: 'test', name: 'test', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      nodeName: 'mynode', hostname: 'test-0', preemptionPolicy: 'PreemptLowerPriority', priority: 0, restartPolicy: 'Always',
      schedulerName: 'default-scheduler', serviceAccount: 'default', serviceAccountName: 'default',
      volumes: [{ name: 'test', persistentVolumeClaim: { claimName: 'test-test-0' } }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'test', ready: true, started: true, state: { running: { startedAt: '2025-10-31T18:19:02Z' } } }],
      observedGeneration: 1,
      conditions: [{ type: 'Ready', observedGeneration: 1, status: 'True', lastProbeTime: '2025-10-31T18:19:02Z' }],
    },
  };
  const revision: KObject = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { creationTimestamp: '2025-10-31T18:19:02Z', labels: { app: 'foo', 'controller.kubernetes.io/hash': 'c77f6d978' }, name: 'test-c77f6d978', namespace: 'test', ownerReferences: [ref], resourceVersion: '234', uid: 'revuid' },
    revision: 1,
    data: JSON.parse('{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}'),
  };
  const pvc: KObject = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: {
      annotations: { key: 'value', 'volume.beta.kubernetes.io/storage-provisioner': 'kubernetes.io/host-path', 'volume.kubernetes.io/storage-provisioner': 'kubernetes.io/host-path' },
      creationTimestamp: '2025-10-31T18:19:02Z', finalizers: ['kubernetes.io/pvc-protection'], labels: { app: 'foo', key: 'value' },
      name: 'test-test-0', namespace: 'test', resourceVersion: '2212', uid: 'pvcuid',
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: 'pv' },
    status: { phase: 'Bound' },
  };
  return { set, pod, revision, pvc };
}

test('H10 objects as 1.33 wrote them cause no write at all', async () => {
  const { set, pod, revision, pvc } = compatObjects();
  const c = new FakeCluster(set);
  c.pods.set('test-0', pod);
  c.revisions.set('test-c77f6d978', revision);
  c.claims.set('test-test-0', pvc);
  const snapshot = JSON.stringify([c.set, pod, revision, pvc]);
  await c.sync();
  assert.deepEqual(c.writes, []);
  assert.deepEqual(c.events, []);
  assert.equal(JSON.stringify([c.set, c.pods.get('test-0'), c.revisions.get('test-c77f6d978'), c.claims.get('test-test-0')]), snapshot);
  // And the revision this code would write for the set is the very same name.
  assert.equal(newRevision(set, 1, 0).metadata.name, 'test-c77f6d978');
});

test('H11 applying a new revision restores the template; set annotations are copied onto the revision', () => {
  const set = newSet({ replicas: 1 });
  set.metadata.annotations = { team: 'a' };
  const rev = newRevision(set, 1, 0);
  assert.deepEqual(rev.metadata.annotations, { team: 'a' });
  const changed = structuredClone(set);
  (changed.spec as any).template.spec.containers[0].image = 'other';
  (changed.spec as any).replicas = 7;
  const restored = applyRevision(changed, rev);
  assert.equal((restored.spec as any).template.spec.containers[0].image, 'nginx:1');
  assert.equal((restored.spec as any).replicas, 7);
});
