import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { bigPod, tempDbPath } from './helpers.js';

// Prints, does not assert, the rate: machines differ. The target is >= 3,000 creates/s.
test('sequential creates of ~2 KB objects on a file (rate printed)', (t) => {
  const s = new SqliteStore(tempDbPath(t));
  t.after(() => s.close());
  const n = 5_000;
  const objs = Array.from({ length: n }, (_, i) => bigPod(`p${i}`));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s.create(`/pods/default/p${i}`, objs[i]);
  const secs = (performance.now() - t0) / 1000;
  const size = JSON.stringify(s.get('/pods/default/p0')!.value).length;
  console.log(`store throughput: ${Math.round(n / secs)} creates/s (${n} creates of ${size} B in ${secs.toFixed(2)} s)`);
  assert.equal(s.list('/pods/default/').items.length, n);
});
