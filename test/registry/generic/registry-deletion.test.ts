// DELETE: immediate, graceful (scheduled pods), held by finalizers, and the propagation
// policy recorded as the garbage collector's finalizers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRegistry, R, configMap, pod } from './make-registry.js';

test('Background (the kubectl default) deletes at once', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.configmaps, 'default', configMap('a'));
  const r = registry.delete(R.configmaps, 'default', 'a', { propagationPolicy: 'Background' });
  assert.equal(r.deleted, true);
  assert.equal(registry.list(R.configmaps, 'default').items.length, 0);
  close();
});

test('Orphan and Foreground are recorded as finalizers and hold the object', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.configmaps, 'default', configMap('o'));
  registry.create(R.configmaps, 'default', configMap('f'));
  const o = registry.delete(R.configmaps, 'default', 'o', { propagationPolicy: 'Orphan' });
  const f = registry.delete(R.configmaps, 'default', 'f', { propagationPolicy: 'Foreground' });
  assert.equal(o.deleted, false);
  assert.deepEqual(o.object.metadata.finalizers, ['orphan']);
  assert.ok(o.object.metadata.deletionTimestamp);
  assert.deepEqual(f.object.metadata.finalizers, ['foregroundDeletion']);
  // Removing the last finalizer lets the object go.
  const cur = registry.get(R.configmaps, 'default', 'o');
  registry.update(R.configmaps, 'default', 'o', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
  assert.deepEqual(registry.list(R.configmaps, 'default').items.map((x) => x.metadata.name), ['f']);
  close();
});

test('an unscheduled pod goes at once; a scheduled one is marked with its grace period; grace 0 forces it', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.pods, 'default', pod('loose'));
  assert.equal(registry.delete(R.pods, 'default', 'loose').deleted, true);
  registry.create(R.pods, 'default', pod('bound', 'node-1'));
  const marked = registry.delete(R.pods, 'default', 'bound');
  assert.equal(marked.deleted, false);
  assert.equal(marked.object.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(marked.object.metadata.deletionTimestamp);
  assert.equal(registry.delete(R.pods, 'default', 'bound', { gracePeriodSeconds: 0 }).deleted, true);
  close();
});

test('a uid precondition that does not match is a Conflict', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.configmaps, 'default', configMap('a'));
  assert.throws(
    () => registry.delete(R.configmaps, 'default', 'a', { preconditions: { uid: 'other' } }),
    (e: Error) => /Precondition failed: UID in precondition: other/.test(e.message),
  );
  close();
});
