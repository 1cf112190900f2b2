// What the issue asks of the collector for StatefulSets, with the set's dependents made by
// hand as the StatefulSet controller makes them: pods and revisions with a controllerRef
// (controller, blockOwnerDeletion), claims with a ref to the set (whenDeleted: Delete) or to
// their pod (whenScaled: Delete), and plain claims (Retain).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { mustFindResource } from '../../../src/api/resources.js';
import { waitFor } from '../../support/wait.js';
import { PODS, PVCS, refTo, startHarness, type Harness } from './harness.js';

const STS = mustFindResource('apps', 'statefulsets');
const REVISIONS = mustFindResource('apps', 'controllerrevisions');

async function makeSet(h: Harness, opts: { claimsOwnedBy: 'set' | 'none' }): Promise<KObject> {
  const set = await h.create(STS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  const controllerRef = refTo(set, { controller: true, block: true });
  await h.create(REVISIONS, { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-abc', ownerReferences: [controllerRef] }, revision: 1, data: {} });
  for (const i of [0, 1]) {
    await h.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, labels: { app: 'web' }, ownerReferences: [controllerRef] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await h.create(PVCS, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `data-web-${i}`, ...(opts.claimsOwnedBy === 'set' ? { ownerReferences: [controllerRef] } : {}) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
  }
  return set;
}

test('deleting a set removes its pods and revisions, and its claims when they carry a ref to it', async () => {
  const h = await startHarness();
  try {
    await makeSet(h, { claimsOwnedBy: 'set' });
    await h.client.delete(STS, 'default', 'web');
    for (const name of ['web-0', 'web-1']) await h.waitGone(PODS, name);
    await h.waitGone(REVISIONS, 'web-abc');
    for (const name of ['data-web-0', 'data-web-1']) await h.waitGone(PVCS, name);
  } finally {
    await h.close();
  }
});

test('claims without a ref to the set (whenDeleted: Retain) stay when the set goes', async () => {
  const h = await startHarness();
  try {
    await makeSet(h, { claimsOwnedBy: 'none' });
    await h.client.delete(STS, 'default', 'web');
    for (const name of ['web-0', 'web-1']) await h.waitGone(PODS, name);
    await h.waitGone(REVISIONS, 'web-abc');
    assert.ok(await h.tryGet(PVCS, 'data-web-0'));
    assert.ok(await h.tryGet(PVCS, 'data-web-1'));
  } finally {
    await h.close();
  }
});

test('--cascade=orphan: the set goes, pods and revisions stay without the controllerRef', async () => {
  const h = await startHarness();
  try {
    await makeSet(h, { claimsOwnedBy: 'set' });
    await h.client.delete(STS, 'default', 'web', { propagationPolicy: 'Orphan' });
    await h.waitGone(STS, 'web');
    for (const [res, name] of [[PODS, 'web-0'], [PODS, 'web-1'], [REVISIONS, 'web-abc'], [PVCS, 'data-web-0']] as const) {
      const obj = await h.tryGet(res, name);
      assert.ok(obj, `${name} stays`);
      assert.deepEqual(obj.metadata.ownerReferences ?? [], [], `${name} has no ownerReferences`);
    }
  } finally {
    await h.close();
  }
});

test('--cascade=foreground: the set stays, deleting, until its pods are gone', async () => {
  const h = await startHarness();
  try {
    await makeSet(h, { claimsOwnedBy: 'none' });
    // A finalizer on one pod keeps it terminating, as a kubelet would during the grace period.
    await h.client.patch(PODS, 'default', 'web-1', 'merge', { metadata: { finalizers: ['test.ordinal.dev/hold'] } });
    const marked = await h.client.delete(STS, 'default', 'web', { propagationPolicy: 'Foreground' });
    assert.deepEqual(marked?.metadata.finalizers, ['foregroundDeletion']);
    await h.waitGone(PODS, 'web-0');
    await h.waitGone(REVISIONS, 'web-abc');
    await waitFor(async () => (await h.tryGet(PODS, 'web-1'))?.metadata.deletionTimestamp, { what: 'web-1 to be terminating' });
    const set = await h.tryGet(STS, 'web');
    assert.ok(set?.metadata.deletionTimestamp, 'the set waits with a deletionTimestamp');
    await h.client.patch(PODS, 'default', 'web-1', 'merge', { metadata: { finalizers: null } });
    await h.waitGone(PODS, 'web-1');
    await h.waitGone(STS, 'web');
  } finally {
    await h.close();
  }
});

test('a pod deleted on scale-down takes the claim it owns; claims owned by the set stay', async () => {
  const h = await startHarness();
  try {
    const set = await makeSet(h, { claimsOwnedBy: 'set' });
    const pod = (await h.tryGet(PODS, 'web-1'))!;
    // whenScaled: Delete — the controller gives the condemned pod's claim a ref to the pod.
    await h.client.patch(PVCS, 'default', 'data-web-1', 'merge', { metadata: { ownerReferences: [refTo(set), refTo(pod, { controller: true, block: true })] } });
    await h.client.delete(PODS, 'default', 'web-1');
    const claim = await waitFor(async () => {
      const c = await h.tryGet(PVCS, 'data-web-1');
      return c && c.metadata.ownerReferences?.length === 1 ? c : undefined;
    }, { what: 'the claim to lose its reference to the deleted pod' });
    // Upstream keeps a claim with another live owner and only drops the dangling reference.
    assert.equal(claim.metadata.ownerReferences![0]!.uid, set.metadata.uid);

    await h.client.patch(PVCS, 'default', 'data-web-0', 'merge', { metadata: { ownerReferences: [refTo((await h.tryGet(PODS, 'web-0'))!, { controller: true, block: true })] } });
    await h.client.delete(PODS, 'default', 'web-0');
    await h.waitGone(PVCS, 'data-web-0');
  } finally {
    await h.close();
  }
});
