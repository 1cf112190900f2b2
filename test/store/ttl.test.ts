import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoreEvent } from '../../src/store/types.js';
import { pod, tempDbPath, waitFor } from './helpers.js';

test('a key with a TTL is deleted by the store, with a DELETED event', async (t) => {
  const s = new SqliteStore(':memory:', { ttlSweepMs: 20 });
  t.after(() => s.close());
  const events: StoreEvent[] = [];
  s.watch('/events/', 0, (e) => events.push(e));
  s.create('/events/default/e1', { metadata: { name: 'e1' }, reason: 'Scheduled' }, { ttlSeconds: 0.05 });
  s.create('/events/default/keep', { metadata: { name: 'keep' } });
  assert.ok(s.get('/events/default/e1'));
  await waitFor(() => s.get('/events/default/e1') === undefined, 'TTL expiry');
  const del = events.find((e) => e.type === 'DELETED');
  assert.equal(del?.key, '/events/default/e1');
  assert.equal(del?.object.reason, 'Scheduled');
  assert.equal(del?.object.metadata.resourceVersion, String(del?.revision));
  assert.ok(s.get('/events/default/keep'), 'keys without TTL stay');
});

test('an update without a TTL clears the previous one', async (t) => {
  const s = new SqliteStore(':memory:', { ttlSweepMs: 0 });
  t.after(() => s.close());
  s.create('/events/default/e1', { metadata: { name: 'e1' } }, { ttlSeconds: 0 });
  s.update('/events/default/e1', { metadata: { name: 'e1' } });
  assert.equal(s.expireDue(), 0);
  assert.ok(s.get('/events/default/e1'));
});

test('expiry is persisted: a key past its TTL is deleted at open', (t) => {
  const path = tempDbPath(t);
  const a = new SqliteStore(path, { ttlSweepMs: 0 });
  a.create('/events/default/e1', { metadata: { name: 'e1' } }, { ttlSeconds: 60 });
  a.create('/pods/default/p', pod('p'));
  a.close();
  // Reopen "two minutes later" without waiting: the clock is injected.
  const later = Date.now() + 120_000;
  const b = new SqliteStore(path, { ttlSweepMs: 0, now: () => later });
  t.after(() => b.close());
  assert.equal(b.get('/events/default/e1'), undefined);
  assert.ok(b.get('/pods/default/p'));
  const events: StoreEvent[] = [];
  b.watch('/events/', 1, (e) => events.push(e));
  assert.deepEqual(events.map((e) => `${e.type}@${e.revision}`), ['DELETED@3']);
});
