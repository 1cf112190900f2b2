// Deleting a namespace deletes everything in it, then the namespace itself, through the
// `kubernetes` finalizer and the Terminating phase, against a real in-memory registry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainObject, type KObject } from '../../../src/api/object.js';
import { deletableNamespacedResources, newNamespaceController } from '../../../src/controllers/namespace/index.js';
import { waitFor } from '../../support/wait.js';
import { R, configMap, namespace, startCluster } from './cluster-harness.js';

const fast = newNamespaceController({ deletionGracePeriodMs: 0, workers: 2 });

const conditionsOf = (ns: KObject | undefined) =>
  (isPlainObject(ns?.status) && Array.isArray(ns!.status.conditions) ? ns!.status.conditions : []) as { type: string; status: string; message: string }[];

test('the deletable resources are the namespaced ones with delete, events.k8s.io left out', () => {
  const plurals = deletableNamespacedResources().map((r) => `${r.plural}.${r.group}`);
  for (const p of ['pods.', 'configmaps.', 'persistentvolumeclaims.', 'statefulsets.apps', 'controllerrevisions.apps', 'events.', 'serviceaccounts.']) {
    assert.ok(plurals.includes(p), p);
  }
  assert.ok(!plurals.includes('events.events.k8s.io'));
  assert.ok(!plurals.includes('namespaces.'));
  assert.ok(!plurals.includes('bindings.'));
});

test('deleting a namespace removes its content, then the namespace', async () => {
  const c = await startCluster([fast]);
  try {
    await c.client.create(R.namespaces, undefined, namespace('work'));
    await c.client.create(R.configmaps, 'work', configMap('a'));
    await c.client.create(R.configmaps, 'work', configMap('b'));
    await c.client.create(R.pods, 'work', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await c.client.create(R.statefulsets, 'work', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: { replicas: 0, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await c.client.create(R.configmaps, 'default', configMap('survivor'));
    await c.client.delete(R.namespaces, undefined, 'work');
    const terminating = await c.tryGet(R.namespaces, 'work');
    assert.equal((terminating?.status as { phase?: string }).phase, 'Terminating');
    await waitFor(async () => (await c.tryGet(R.namespaces, 'work')) === undefined, { what: 'namespace work to go', timeoutMs: 10_000, intervalMs: 20 });
    for (const res of [R.configmaps, R.pods, R.statefulsets]) {
      assert.deepEqual((await c.client.list(res, 'work')).items, [], res.plural);
    }
    assert.ok(await c.tryGet(R.configmaps, 'survivor', 'default'), 'other namespaces are untouched');
  } finally {
    await c.close();
  }
});

test('content held by a finalizer keeps the namespace Terminating, with conditions saying why', async () => {
  const c = await startCluster([fast]);
  try {
    await c.client.create(R.namespaces, undefined, namespace('held'));
    await c.client.create(R.configmaps, 'held', configMap('keep', ['example.com/hold']));
    await c.client.create(R.configmaps, 'held', configMap('plain'));
    await c.client.delete(R.namespaces, undefined, 'held');
    const ns = await waitFor(
      async () => {
        const n = await c.tryGet(R.namespaces, 'held');
        return conditionsOf(n).some((x) => x.type === 'NamespaceContentRemaining' && x.status === 'True') ? n : undefined;
      },
      { what: 'ContentRemaining condition', intervalMs: 20 },
    );
    const byType = new Map(conditionsOf(ns).map((x) => [x.type, x]));
    assert.equal(byType.get('NamespaceContentRemaining')!.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal(byType.get('NamespaceFinalizersRemaining')!.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.get('NamespaceDeletionContentFailure')!.status, 'False');
    assert.equal(await c.tryGet(R.configmaps, 'plain', 'held'), undefined);
    assert.deepEqual((ns.spec as { finalizers?: string[] }).finalizers, ['kubernetes']);

    // Release the finalizer; any later event on the namespace lets the controller look again
    // (without one it would retry after about 8 s, half the finalizer estimate plus one).
    const keep = (await c.tryGet(R.configmaps, 'keep', 'held'))!;
    await c.client.update(R.configmaps, 'held', { ...keep, metadata: { ...keep.metadata, finalizers: [] } });
    await c.client.patch(R.namespaces, undefined, 'held', 'merge', { metadata: { labels: { poke: 'now' } } });
    await waitFor(async () => (await c.tryGet(R.namespaces, 'held')) === undefined, { what: 'namespace held to go', timeoutMs: 10_000, intervalMs: 20 });
  } finally {
    await c.close();
  }
});

test('with the default grace period nothing happens in the first seconds (upstream waits 5 s)', async () => {
  const c = await startCluster([newNamespaceController({ workers: 1 })]);
  try {
    await c.client.create(R.namespaces, undefined, namespace('slow'));
    await c.client.create(R.configmaps, 'slow', configMap('x'));
    await c.client.delete(R.namespaces, undefined, 'slow');
    // Negative check over a stated window: 1 s, well inside the 5 s grace period.
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      assert.ok(await c.tryGet(R.configmaps, 'x', 'slow'), 'content deleted before the grace period');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await c.close();
  }
});
