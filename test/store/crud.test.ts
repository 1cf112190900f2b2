import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { StoreError } from '../../src/store/types.js';
import { pod } from './helpers.js';

function open(t: { after: (fn: () => void) => void }): SqliteStore {
  const s = new SqliteStore(':memory:');
  t.after(() => s.close());
  return s;
}

function code(e: unknown): string | undefined {
  return e instanceof StoreError ? e.code : undefined;
}

test('create sets resourceVersion to the new revision and get returns it', (t) => {
  const s = open(t);
  const input = pod('web-0');
  const created = s.create('/pods/default/web-0', input);
  assert.equal(created.revision, 1);
  assert.equal(created.value.metadata.resourceVersion, '1');
  assert.equal(input.metadata.resourceVersion, undefined, 'the caller\'s object is not touched');
  assert.equal(s.revision, 1);
  assert.deepEqual(s.get('/pods/default/web-0'), created);
  assert.equal(s.get('/pods/default/nope'), undefined);
});

test('create of an existing key throws Exists', (t) => {
  const s = open(t);
  s.create('/pods/default/a', pod('a'));
  assert.throws(() => s.create('/pods/default/a', pod('a')), (e) => code(e) === 'Exists');
  assert.equal(s.revision, 1);
});

test('update bumps the revision, checks expectedRevision, and 404s on missing keys', (t) => {
  const s = open(t);
  const c = s.create('/pods/default/a', pod('a'));
  const u = s.update('/pods/default/a', pod('a', { spec: { nodeName: 'n1' } }), c.revision);
  assert.equal(u.revision, 2);
  assert.equal(u.value.metadata.resourceVersion, '2');
  assert.deepEqual(u.value.spec, { nodeName: 'n1' });
  assert.throws(() => s.update('/pods/default/a', pod('a'), c.revision), (e) => code(e) === 'Conflict' && (e as StoreError).revision === 2);
  assert.throws(() => s.update('/pods/default/b', pod('b')), (e) => code(e) === 'NotFound');
  const unconditional = s.update('/pods/default/a', pod('a'));
  assert.equal(unconditional.revision, 3);
});

test('delete returns the last value at the delete revision and removes the key', (t) => {
  const s = open(t);
  s.create('/pods/default/a', pod('a'));
  assert.throws(() => s.delete('/pods/default/a', 7), (e) => code(e) === 'Conflict');
  const d = s.delete('/pods/default/a', 1);
  assert.equal(d.revision, 2);
  assert.equal(d.value.metadata.resourceVersion, '2');
  assert.equal(d.value.metadata.name, 'a');
  assert.equal(s.get('/pods/default/a'), undefined);
  assert.throws(() => s.delete('/pods/default/a'), (e) => code(e) === 'NotFound');
  const again = s.create('/pods/default/a', pod('a'));
  assert.equal(again.revision, 3, 'a key can be recreated after delete');
});

test('revisions are strictly monotonic across keys and operations', (t) => {
  const s = open(t);
  const seen: number[] = [];
  for (let i = 0; i < 20; i++) seen.push(s.create(`/pods/default/p${i}`, pod(`p${i}`)).revision);
  for (let i = 0; i < 20; i += 2) seen.push(s.update(`/pods/default/p${i}`, pod(`p${i}`)).revision);
  for (let i = 1; i < 20; i += 2) seen.push(s.delete(`/pods/default/p${i}`).revision);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1]);
  assert.equal(s.revision, seen[seen.length - 1]);
});

test('list by prefix is sorted by key and uses plain string prefixes', (t) => {
  const s = open(t);
  s.create('/pods/kube-system/dns', pod('dns'));
  s.create('/pods/default/web-1', pod('web-1'));
  s.create('/pods/default/web-0', pod('web-0'));
  s.create('/pods/defaultx/other', pod('other'));
  s.create('/namespaces/default', { metadata: { name: 'default' } });
  s.delete('/pods/default/web-1');
  assert.deepEqual(s.list('/pods/default/').items.map((o) => o.key), ['/pods/default/web-0']);
  assert.deepEqual(s.list('/pods/').items.map((o) => o.key), [
    '/pods/default/web-0',
    '/pods/defaultx/other',
    '/pods/kube-system/dns',
  ]);
  assert.equal(s.list('/pods/').revision, s.revision);
  assert.equal(s.list('/nothing/').items.length, 0);
});

test('stored objects are frozen so callers cannot corrupt the cache', (t) => {
  const s = open(t);
  const c = s.create('/pods/default/a', pod('a'));
  assert.throws(() => {
    (c.value.metadata as Record<string, unknown>).name = 'b';
  }, TypeError);
  assert.equal(s.get('/pods/default/a')!.value.metadata.name, 'a');
});

test('list of 10,000 pods is fast (timing printed)', (t) => {
  const s = open(t);
  for (let i = 0; i < 10_000; i++) s.create(`/pods/ns${i % 10}/p${i}`, pod(`p${i}`));
  s.create('/services/default/svc', { metadata: { name: 'svc' } });
  let t0 = performance.now();
  const all = s.list('/pods/');
  const allMs = performance.now() - t0;
  t0 = performance.now();
  const one = s.list('/pods/ns3/');
  const nsMs = performance.now() - t0;
  assert.equal(all.items.length, 10_000);
  assert.equal(one.items.length, 1_000);
  for (let i = 1; i < all.items.length; i++) assert.ok(all.items[i - 1].key < all.items[i].key);
  console.log(`list 10,000 pods: ${allMs.toFixed(2)} ms; list one namespace of 1,000: ${nsMs.toFixed(2)} ms`);
});
