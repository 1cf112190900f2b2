// Random add/get/done sequences against the work queue: no item is ever held by two workers,
// nothing waits twice, and every add is followed by a processing of that item (no lost work).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { WorkQueue } from '../../src/client/work-queue.js';

type Op = { t: 'add'; k: string } | { t: 'get' } | { t: 'done'; i: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), k: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ t: fc.constant('get' as const) }),
  fc.record({ t: fc.constant('done' as const), i: fc.nat(5) }),
);

it('work queue: exclusive processing, no duplicates waiting, no lost adds', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
      const q = new WorkQueue<string>();
      const held: string[] = [];
      /** Items added since they were last handed out: each must be handed out again. */
      const owed = new Set<string>();
      for (const o of ops) {
        if (o.t === 'add') {
          q.add(o.k);
          owed.add(o.k);
        } else if (o.t === 'get') {
          if (q.len() === 0) continue;
          const k = (await q.get())!;
          assert.ok(!held.includes(k), `${k} handed to two workers`);
          held.push(k);
          owed.delete(k);
        } else if (held.length > 0) {
          const [k] = held.splice(o.i % held.length, 1);
          q.done(k!);
        }
        assert.ok(q.len() <= 4, 'an item waits at most once');
      }
      // Drain: finish everything held, then take whatever is queued until empty.
      for (const k of held.splice(0)) q.done(k);
      while (q.len() > 0) {
        const k = (await q.get())!;
        owed.delete(k);
        q.done(k);
      }
      assert.deepEqual([...owed], [], 'every add led to processing');
      q.shutDown();
    }),
    { numRuns: 300 },
  );
});
