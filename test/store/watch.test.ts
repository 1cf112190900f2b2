import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite-store.js';
import { StoreError, type StoreEvent } from '../../src/store/types.js';
import { pod } from './helpers.js';

function open(t: { after: (fn: () => void) => void }, opts: SqliteStoreOptions = {}): SqliteStore {
  const s = new SqliteStore(':memory:', { compactEvery: 0, ...opts });
  t.after(() => s.close());
  return s;
}

const brief = (e: StoreEvent) => `${e.type} ${e.key}@${e.revision}`;

test('live watch delivers ADDED, MODIFIED and DELETED under the prefix, synchronously', (t) => {
  const s = open(t);
  const got: StoreEvent[] = [];
  const stop = s.watch('/pods/default/', s.revision, (e) => got.push(e));
  s.create('/pods/default/a', pod('a'));
  assert.equal(got.length, 1, 'delivered before create() returned');
  s.create('/pods/other/b', pod('b'));
  s.update('/pods/default/a', pod('a', { spec: { nodeName: 'n1' } }));
  s.delete('/pods/default/a');
  assert.deepEqual(got.map(brief), ['ADDED /pods/default/a@1', 'MODIFIED /pods/default/a@3', 'DELETED /pods/default/a@4']);
  assert.equal(got[0].prevObject, undefined);
  assert.equal(got[1].prevObject?.metadata.resourceVersion, '1');
  assert.equal(got[1].object.metadata.resourceVersion, '3');
  assert.equal(got[2].object.metadata.resourceVersion, '4', 'DELETED carries the delete revision');
  assert.deepEqual(got[2].object.spec, { nodeName: 'n1' }, 'DELETED carries the last value');
  assert.equal(got[2].prevObject?.metadata.resourceVersion, '3');
  stop();
  s.create('/pods/default/c', pod('c'));
  assert.equal(got.length, 3, 'no events after stop');
});

function history(s: SqliteStore): void {
  for (let i = 0; i < 10; i++) s.create(`/pods/default/p${i}`, pod(`p${i}`));
  for (let i = 0; i < 10; i += 3) s.update(`/pods/default/p${i}`, pod(`p${i}`, { status: { phase: 'Running' } }));
  s.delete('/pods/default/p1');
}

for (const [name, ringSize] of [['ring', 4096], ['SQLite log', 2]] as const) {
  test(`resume from a revision replays exactly the later events, then continues live (${name})`, (t) => {
    const s = open(t, { ringSize });
    history(s);
    const got: StoreEvent[] = [];
    s.watch('/pods/', 5, (e) => got.push(e));
    s.create('/pods/default/live', pod('live'));
    const revs = got.map((e) => e.revision);
    assert.deepEqual(revs, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    assert.deepEqual(got.slice(-2).map(brief), ['DELETED /pods/default/p1@15', 'ADDED /pods/default/live@16']);
    const mod = got.find((e) => e.revision === 11)!;
    assert.equal(mod.type, 'MODIFIED');
    assert.equal(mod.prevObject?.metadata.resourceVersion, '1');
    assert.equal(mod.object.metadata.resourceVersion, '11');
  });
}

test('resume with a prefix filters the replay too', (t) => {
  const s = open(t, { ringSize: 2 });
  s.create('/pods/a/x', pod('x'));
  s.create('/pods/b/y', pod('y'));
  s.create('/pods/a/z', pod('z'));
  const got: string[] = [];
  s.watch('/pods/a/', 0, (e) => got.push(brief(e)));
  assert.deepEqual(got, ['ADDED /pods/a/x@1', 'ADDED /pods/a/z@3']);
});

test('compaction makes older revisions Expired and advances oldestResumableRevision', (t) => {
  const s = open(t);
  history(s);
  assert.equal(s.oldestResumableRevision, 0);
  s.compact(5);
  assert.equal(s.oldestResumableRevision, 10);
  assert.throws(
    () => s.watch('/pods/', 9, () => {}),
    (e) => e instanceof StoreError && e.code === 'Expired' && e.revision === 10,
  );
  const got: StoreEvent[] = [];
  s.watch('/pods/', 10, (e) => got.push(e));
  assert.deepEqual(got.map((e) => e.revision), [11, 12, 13, 14, 15]);
  assert.equal(s.list('/pods/').items.length, 9, 'compaction keeps current objects');
});

test('compaction keeps prevObject available for resumable events (log replay)', (t) => {
  const s = open(t, { ringSize: 1 });
  s.create('/pods/default/a', pod('a')); // 1
  s.update('/pods/default/a', pod('a')); // 2
  s.create('/pods/default/b', pod('b')); // 3
  s.update('/pods/default/a', pod('a')); // 4
  s.compact(1); // to 3
  const got: StoreEvent[] = [];
  s.watch('/pods/', 3, (e) => got.push(e));
  assert.deepEqual(got.map(brief), ['MODIFIED /pods/default/a@4']);
  assert.equal(got[0].prevObject?.metadata.resourceVersion, '2');
});

test('a throwing watcher breaks neither the store nor other watchers', (t) => {
  const errors: unknown[] = [];
  const s = open(t, { onWatchError: (err) => errors.push(err) });
  const good: number[] = [];
  s.watch('/pods/', 0, () => {
    throw new Error('boom');
  });
  s.watch('/pods/', 0, (e) => good.push(e.revision));
  s.create('/pods/default/a', pod('a'));
  s.create('/pods/default/b', pod('b'));
  assert.deepEqual(good, [1, 2]);
  assert.equal(errors.length, 2);
  assert.equal(s.get('/pods/default/b')?.revision, 2);
});

test('a watcher that writes from its callback keeps every watcher in revision order', (t) => {
  const s = open(t);
  const first: number[] = [];
  const second: number[] = [];
  s.watch('/pods/', 0, (e) => {
    first.push(e.revision);
    if (e.type === 'ADDED' && !e.key.endsWith('-echo')) s.create(`${e.key}-echo`, pod('echo'));
  });
  s.watch('/pods/', 0, (e) => second.push(e.revision));
  s.create('/pods/default/a', pod('a'));
  s.create('/pods/default/b', pod('b'));
  assert.deepEqual(first, [1, 2, 3, 4]);
  assert.deepEqual(second, [1, 2, 3, 4]);
});

test('a watch started from inside a callback sees no gap and no duplicate', (t) => {
  const s = open(t);
  const inner: number[] = [];
  let started = false;
  s.watch('/pods/', 0, (e) => {
    if (!started) {
      started = true;
      s.create('/pods/default/during', pod('during')); // queued behind the current event
      s.watch('/pods/', 0, (x) => inner.push(x.revision));
    }
  });
  s.create('/pods/default/a', pod('a'));
  s.create('/pods/default/b', pod('b'));
  assert.deepEqual(inner, [1, 2, 3]);
});
