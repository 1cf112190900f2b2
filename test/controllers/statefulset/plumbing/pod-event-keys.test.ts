// Catalogue rows A4–A6: which set keys a pod event enqueues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keysForPodAdd, keysForPodDelete, keysForPodUpdate } from '../../../../src/controllers/statefulset/pod-event-keys.js';
import { cache, pod, set } from './fixtures.js';

const foo = set('foo');
const foo2 = set('foo2');
const foo3 = set('foo3', { labels: { app: 'other' } });
const sets = cache(foo, foo2, foo3);

test('A4: an owned pod wakes only its set; an orphan wakes every set selecting it; no match wakes nothing', () => {
  assert.deepEqual(keysForPodAdd(sets, pod('foo-0', { owner: foo })).now, ['default/foo']);
  assert.deepEqual(keysForPodAdd(sets, pod('foo-0')).now.sort(), ['default/foo', 'default/foo2']);
  assert.deepEqual(keysForPodAdd(sets, pod('foo-0', { labels: { app: 'nobody' } })).now, []);
});

test('A4: a controller reference with a stale uid or another kind resolves to nothing', () => {
  const stale = pod('foo-0', { owner: set('foo', { uid: 'old-uid' }) });
  assert.deepEqual(keysForPodAdd(sets, stale).now, []);
  const rs = pod('foo-0');
  rs.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'foo', uid: 'uid-foo', controller: true }];
  assert.deepEqual(keysForPodAdd(sets, rs).now, []);
});

test('A4: a set with an empty selector selects no orphan', () => {
  const empty = set('empty');
  (empty.spec as { selector: unknown }).selector = {};
  assert.deepEqual(keysForPodAdd(cache(empty), pod('empty-0')).now, []);
});

test('A5: same resourceVersion enqueues nothing', () => {
  const p = pod('foo-0', { owner: foo });
  assert.deepEqual(keysForPodUpdate(sets, p, p), { now: [], later: [] });
});

test('A5: an orphan relabelled wakes every set selecting its new labels', () => {
  const before = pod('foo-0', { labels: { app: 'none' }, rv: '1' });
  const after = pod('foo-0', { rv: '2' });
  assert.deepEqual(keysForPodUpdate(sets, before, after).now.sort(), ['default/foo', 'default/foo2']);
  // An orphan whose labels and reference did not change: nothing.
  assert.deepEqual(keysForPodUpdate(sets, pod('foo-0', { rv: '1' }), pod('foo-0', { rv: '2' })).now, []);
});

test('A5: a controller reference change wakes the old and the new owner', () => {
  const before = pod('foo-0', { owner: foo, rv: '1' });
  const after = pod('foo-0', { owner: foo2, rv: '2' });
  assert.deepEqual(keysForPodUpdate(sets, before, after).now.sort(), ['default/foo', 'default/foo2']);
});

test('A5: a release wakes the old owner and the sets selecting the orphan', () => {
  const before = pod('foo-0', { owner: foo, rv: '1' });
  const after = pod('foo-0', { rv: '2' });
  assert.deepEqual(keysForPodUpdate(sets, before, after).now.sort(), ['default/foo', 'default/foo', 'default/foo2']);
});

test('a pod turning Ready under minReadySeconds also wakes its set after minReadySeconds + 1 s', () => {
  const slow = set('slow', { minReadySeconds: 30 });
  const s = cache(slow);
  const r = keysForPodUpdate(s, pod('slow-0', { owner: slow, rv: '1' }), pod('slow-0', { owner: slow, rv: '2', ready: true }));
  assert.deepEqual(r, { now: ['default/slow'], later: [{ key: 'default/slow', delayMs: 31_000 }] });
  const already = keysForPodUpdate(s, pod('slow-0', { owner: slow, rv: '1', ready: true }), pod('slow-0', { owner: slow, rv: '2', ready: true }));
  assert.deepEqual(already.later, []);
});

test('A6: deleting an owned pod wakes its owner; an orphan nobody; a tombstone its owner', () => {
  assert.deepEqual(keysForPodDelete(sets, pod('foo-0', { owner: foo })).now, ['default/foo']);
  assert.deepEqual(keysForPodDelete(sets, pod('foo-0')).now, []);
  assert.deepEqual(keysForPodDelete(sets, { key: 'default/foo-0', obj: pod('foo-0', { owner: foo }) }).now, ['default/foo']);
});

test('a pod added already terminating is handled as a deletion', () => {
  assert.deepEqual(keysForPodAdd(sets, pod('foo-0', { deleting: true })).now, []);
  assert.deepEqual(keysForPodAdd(sets, pod('foo-0', { owner: foo, deleting: true })).now, ['default/foo']);
});
