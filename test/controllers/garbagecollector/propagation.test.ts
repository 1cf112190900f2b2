// The collector against a real registry: Background, Foreground and Orphan propagation,
// dangling references, several owners, and blockOwnerDeletion.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/wait.js';
import { CM, configMap, NODES, PODS, PVCS, refTo, startHarness } from './harness.js';

test('Background: deleting an owner deletes its dependents', async () => {
  const h = await startHarness();
  try {
    const owner = await h.create(CM, configMap('owner'));
    await h.create(CM, configMap('a', [refTo(owner, { controller: true, block: true })]));
    await h.create(CM, configMap('b', [refTo(owner)]));
    await h.client.delete(CM, 'default', 'owner', { propagationPolicy: 'Background' });
    await h.waitGone(CM, 'a');
    await h.waitGone(CM, 'b');
  } finally {
    await h.close();
  }
});

test('Background cascades down a chain of owners', async () => {
  const h = await startHarness();
  try {
    const top = await h.create(CM, configMap('top'));
    const mid = await h.create(CM, configMap('mid', [refTo(top)]));
    await h.create(CM, configMap('leaf', [refTo(mid)]));
    await h.client.delete(CM, 'default', 'top');
    await h.waitGone(CM, 'mid');
    await h.waitGone(CM, 'leaf');
  } finally {
    await h.close();
  }
});

test('a dependent whose owner never existed, or exists under another uid, is deleted; the namesake stays', async () => {
  const h = await startHarness();
  try {
    const namesake = await h.create(CM, configMap('namesake'));
    await h.create(CM, configMap('orphan-of-ghost', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }]));
    await h.create(CM, configMap('wrong-uid', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'namesake', uid: '00000000-0000-0000-0000-000000000002' }]));
    await h.waitGone(CM, 'orphan-of-ghost');
    await h.waitGone(CM, 'wrong-uid');
    assert.equal((await h.tryGet(CM, 'namesake'))?.metadata.uid, namesake.metadata.uid);
  } finally {
    await h.close();
  }
});

test('a dependent with another live owner loses only the dangling reference', async () => {
  const h = await startHarness();
  try {
    const p1 = await h.create(CM, configMap('p1'));
    const p2 = await h.create(CM, configMap('p2'));
    await h.create(CM, configMap('shared', [refTo(p1), refTo(p2)]));
    await h.client.delete(CM, 'default', 'p1');
    const after = await waitFor(async () => {
      const obj = await h.tryGet(CM, 'shared');
      return obj && obj.metadata.ownerReferences?.length === 1 ? obj : undefined;
    }, { what: 'the reference to p1 to be removed' });
    assert.deepEqual(after.metadata.ownerReferences, [refTo(p2)]);
  } finally {
    await h.close();
  }
});

test('dependents of a live owner are left alone (watched for 500 ms)', async () => {
  const h = await startHarness();
  try {
    const owner = await h.create(CM, configMap('owner'));
    const dep = await h.create(CM, configMap('dep', [refTo(owner, { block: true })]));
    await waitFor(() => h.gc.graph.node(dep.metadata.uid!) && !h.gc.graph.node(owner.metadata.uid!)?.virtual, { what: 'the graph to see both' });
    const deadline = Date.now() + 500;
    while (Date.now() < deadline) {
      const now = await h.tryGet(CM, 'dep');
      assert.ok(now, 'the dependent of a live owner was deleted');
      assert.equal(now.metadata.ownerReferences?.length, 1);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await h.close();
  }
});

test('Orphan: the owner goes, dependents stay without the reference', async () => {
  const h = await startHarness();
  try {
    const owner = await h.create(CM, configMap('owner'));
    const other = await h.create(CM, configMap('other'));
    await h.create(CM, configMap('a', [refTo(owner, { controller: true, block: true })]));
    await h.create(CM, configMap('b', [refTo(owner), refTo(other)]));
    const marked = await h.client.delete(CM, 'default', 'owner', { propagationPolicy: 'Orphan' });
    assert.deepEqual(marked?.metadata.finalizers, ['orphan']);
    await h.waitGone(CM, 'owner');
    const a = await h.tryGet(CM, 'a');
    const b = await h.tryGet(CM, 'b');
    assert.ok(a, 'the dependent stays');
    // Upstream's omitempty drops an emptied list; the registry may keep `[]`: either is "none".
    assert.deepEqual(a.metadata.ownerReferences ?? [], []);
    assert.deepEqual(b?.metadata.ownerReferences, [refTo(other)]);
  } finally {
    await h.close();
  }
});

test('Foreground: the owner waits for blocking dependents, then goes', async () => {
  const h = await startHarness();
  try {
    const owner = await h.create(CM, configMap('owner'));
    // The held dependent stays terminating until its own finalizer is removed by the test.
    await h.create(CM, configMap('held', [refTo(owner, { block: true })], ['test.ordinal.dev/hold']));
    await h.create(CM, configMap('free', [refTo(owner, { block: true })]));
    await h.client.delete(CM, 'default', 'owner', { propagationPolicy: 'Foreground' });
    await h.waitGone(CM, 'free');
    const held = await waitFor(async () => {
      const obj = await h.tryGet(CM, 'held');
      return obj?.metadata.deletionTimestamp ? obj : undefined;
    }, { what: 'the held dependent to be deleting' });
    const waiting = await h.tryGet(CM, 'owner');
    assert.ok(waiting?.metadata.deletionTimestamp, 'the owner is still there, deleting');
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    await h.client.patch(CM, 'default', 'held', 'merge', { metadata: { finalizers: null, resourceVersion: held.metadata.resourceVersion } });
    await h.waitGone(CM, 'held');
    await h.waitGone(CM, 'owner');
  } finally {
    await h.close();
  }
});

test('Foreground: a non-blocking dependent is deleted but does not hold the owner', async () => {
  const h = await startHarness();
  try {
    const owner = await h.create(CM, configMap('owner'));
    const dep = await h.create(CM, configMap('loose', [refTo(owner)], ['test.ordinal.dev/hold']));
    await h.client.delete(CM, 'default', 'owner', { propagationPolicy: 'Foreground' });
    await h.waitGone(CM, 'owner');
    const loose = await waitFor(async () => {
      const obj = await h.tryGet(CM, 'loose');
      return obj?.metadata.deletionTimestamp ? obj : undefined;
    }, { what: 'the loose dependent to be deleting' });
    assert.equal(loose.metadata.uid, dep.metadata.uid);
    await h.client.patch(CM, 'default', 'loose', 'merge', { metadata: { finalizers: null } });
    await h.waitGone(CM, 'loose');
  } finally {
    await h.close();
  }
});

test('Foreground through a chain: the middle object is itself deleted in the foreground', async () => {
  const h = await startHarness();
  try {
    const top = await h.create(CM, configMap('top'));
    const mid = await h.create(CM, configMap('mid', [refTo(top, { block: true })]));
    await h.create(CM, configMap('leaf', [refTo(mid, { block: true })], ['test.ordinal.dev/hold']));
    await h.client.delete(CM, 'default', 'top', { propagationPolicy: 'Foreground' });
    const midDeleting = await waitFor(async () => {
      const obj = await h.tryGet(CM, 'mid');
      return obj?.metadata.deletionTimestamp ? obj : undefined;
    }, { what: 'mid to be deleting' });
    assert.deepEqual(midDeleting.metadata.finalizers, ['foregroundDeletion']);
    await waitFor(async () => (await h.tryGet(CM, 'leaf'))?.metadata.deletionTimestamp, { what: 'leaf to be deleting' });
    assert.ok(await h.tryGet(CM, 'top'), 'top waits for mid');
    await h.client.patch(CM, 'default', 'leaf', 'merge', { metadata: { finalizers: null } });
    await h.waitGone(CM, 'leaf');
    await h.waitGone(CM, 'mid');
    await h.waitGone(CM, 'top');
  } finally {
    await h.close();
  }
});

test('deleting a pod removes the claims it owns (whenScaled: Delete)', async () => {
  const h = await startHarness();
  try {
    const pod = await h.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await h.create(PVCS, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-web-0', ownerReferences: [refTo(pod, { controller: true, block: true })] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await h.client.delete(PODS, 'default', 'web-0');
    await h.waitGone(PVCS, 'data-web-0');
  } finally {
    await h.close();
  }
});

test('a namespaced dependent of a cluster-scoped owner goes with it', async () => {
  const h = await startHarness();
  try {
    const node = await h.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await h.create(CM, configMap('per-node', [refTo(node)]));
    await h.client.delete(NODES, undefined, 'n1');
    await h.waitGone(CM, 'per-node');
  } finally {
    await h.close();
  }
});

test('an owner in another namespace does not count: the dependent is collected and a warning recorded', async () => {
  const h = await startHarness();
  try {
    await h.client.create(CM, 'kube-system', configMap('elsewhere'));
    const elsewhere = await h.client.get(CM, 'kube-system', 'elsewhere');
    await h.create(CM, configMap('confused', [refTo(elsewhere)]));
    await h.waitGone(CM, 'confused');
    assert.ok(await h.client.get(CM, 'kube-system', 'elsewhere'));
    await waitFor(() => h.events.find((e) => e.reason === 'OwnerRefInvalidNamespace'), { what: 'the OwnerRefInvalidNamespace event' });
    const ev = h.events.find((e) => e.reason === 'OwnerRefInvalidNamespace')!;
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.name, 'confused');
    assert.match(ev.message, /^ownerRef \[v1\/ConfigMap, namespace: default, name: elsewhere, uid: .*\] does not exist in namespace "default"$/);
  } finally {
    await h.close();
  }
});

test('Foreground: a dependent whose own dependent already deletes in the foreground stops blocking, so no cycle holds the owner', async () => {
  const h = await startHarness();
  try {
    const top = await h.create(CM, configMap('top'));
    const mid = await h.create(CM, configMap('mid', [refTo(top, { block: true })]));
    await h.create(CM, configMap('leaf', [refTo(mid, { block: true })], ['test.ordinal.dev/hold']));
    // leaf starts deleting in the foreground first; its hold keeps it there.
    await h.client.delete(CM, 'default', 'leaf', { propagationPolicy: 'Foreground' });
    await waitFor(async () => {
      const leaf = await h.tryGet(CM, 'leaf');
      return leaf?.metadata.deletionTimestamp && !leaf.metadata.finalizers?.includes('foregroundDeletion');
    }, { what: 'leaf to be released from its own foreground wait' });
    await h.client.delete(CM, 'default', 'top', { propagationPolicy: 'Foreground' });
    await h.waitGone(CM, 'top');
    const stillMid = await h.tryGet(CM, 'mid');
    assert.ok(stillMid, 'mid waits on the held leaf');
    assert.equal(stillMid.metadata.ownerReferences?.[0]?.blockOwnerDeletion, false, "mid's reference to top no longer blocks");
    await h.client.patch(CM, 'default', 'leaf', 'merge', { metadata: { finalizers: null } });
    await h.waitGone(CM, 'leaf');
    await h.waitGone(CM, 'mid');
  } finally {
    await h.close();
  }
});
