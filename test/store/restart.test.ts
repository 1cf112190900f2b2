import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { StoreError, type StoreEvent } from '../../src/store/types.js';
import { pod, tempDbPath } from './helpers.js';

test('reopening the same file keeps objects, revision and resumable history', (t) => {
  const path = tempDbPath(t);
  const a = new SqliteStore(path, { compactEvery: 0 });
  a.create('/pods/default/web-0', pod('web-0')); // 1
  a.create('/pods/default/web-1', pod('web-1')); // 2
  a.update('/pods/default/web-0', pod('web-0', { spec: { nodeName: 'n1' } })); // 3
  a.create('/namespaces/default', { metadata: { name: 'default' } }); // 4
  a.delete('/pods/default/web-1'); // 5
  a.close();

  const b = new SqliteStore(path, { compactEvery: 0 });
  t.after(() => b.close());
  assert.equal(b.revision, 5);
  assert.deepEqual(b.list('/pods/').items.map((o) => [o.key, o.revision]), [['/pods/default/web-0', 3]]);
  assert.equal(b.get('/pods/default/web-0')?.value.metadata.resourceVersion, '3');
  assert.deepEqual(b.get('/pods/default/web-0')?.value.spec, { nodeName: 'n1' });
  assert.ok(b.get('/namespaces/default'));

  const got: StoreEvent[] = [];
  b.watch('/pods/', 1, (e) => got.push(e));
  b.create('/pods/default/web-2', pod('web-2'));
  assert.deepEqual(
    got.map((e) => `${e.type} ${e.key}@${e.revision}`),
    ['ADDED /pods/default/web-1@2', 'MODIFIED /pods/default/web-0@3', 'DELETED /pods/default/web-1@5', 'ADDED /pods/default/web-2@6'],
  );
  assert.equal(got[1].prevObject?.metadata.resourceVersion, '1');
});

test('revisions are never reused after restart, even when compaction removed the newest row', (t) => {
  const path = tempDbPath(t);
  const a = new SqliteStore(path, { compactEvery: 0 });
  a.create('/pods/default/a', pod('a')); // 1
  a.create('/pods/default/b', pod('b')); // 2
  a.delete('/pods/default/b'); // 3: tombstone, the newest row
  a.compact(0); // removes the tombstone and row 2
  assert.equal(a.oldestResumableRevision, 3);
  a.close();

  const b = new SqliteStore(path, { compactEvery: 0 });
  t.after(() => b.close());
  assert.equal(b.revision, 3);
  assert.equal(b.oldestResumableRevision, 3, 'the compaction boundary is persisted');
  assert.throws(() => b.watch('/', 2, () => {}), (e) => e instanceof StoreError && e.code === 'Expired');
  assert.equal(b.create('/pods/default/c', pod('c')).revision, 4);
  assert.equal(b.get('/pods/default/b'), undefined);
});

test('automatic compaction bounds the log and keeps recent history resumable', (t) => {
  const path = tempDbPath(t);
  const s = new SqliteStore(path, { compactEvery: 50, compactRetain: 100 });
  t.after(() => s.close());
  s.create('/pods/default/a', pod('a'));
  for (let i = 0; i < 500; i++) s.update('/pods/default/a', pod('a', { status: { n: i } }));
  assert.equal(s.revision, 501);
  assert.ok(s.oldestResumableRevision >= 350, `oldest=${s.oldestResumableRevision}`);
  assert.ok(s.oldestResumableRevision <= 401);
  const got: number[] = [];
  s.watch('/pods/', s.oldestResumableRevision, (e) => got.push(e.revision));
  assert.equal(got.length, 501 - s.oldestResumableRevision);
  assert.equal(s.get('/pods/default/a')?.value.status && (s.get('/pods/default/a')!.value.status as { n: number }).n, 499);
});
