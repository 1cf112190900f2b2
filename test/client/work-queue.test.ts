import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from '../../src/client/work-queue.js';
import { ItemExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from '../../src/client/rate-limiter.js';

/** Resolves to the promise's value, or 'pending' if it has not settled after a few turns of the event loop. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => setImmediate(() => r('pending'))))]);
}

/** The queue's timers are unref'd; a test awaiting one keeps the process alive itself. */
async function keepAlive<T>(p: Promise<T>): Promise<T> {
  const t = setInterval(() => {}, 1000);
  try {
    return await p;
  } finally {
    clearInterval(t);
  }
}

describe('WorkQueue', () => {
  it('hands out items in FIFO order and de-duplicates waiting items', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.len(), 0);
    assert.equal(await peek(q.get()), 'pending');
    q.shutDown();
  });

  it('an item added while being processed is queued again once, after done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const item = await q.get();
    assert.equal(item, 'a');
    q.add('a');
    q.add('a');
    // Not handed to a second worker while the first holds it.
    assert.equal(q.len(), 0);
    const second = q.get();
    assert.equal(await peek(second), 'pending');
    q.done('a');
    assert.equal(await second, 'a');
    q.done('a');
    assert.equal(q.len(), 0);
    assert.equal(await peek(q.get()), 'pending');
    q.shutDown();
  });

  it('done without a re-add does not re-queue', async () => {
    const q = new WorkQueue<string>();
    q.add('x');
    await q.get();
    q.done('x');
    assert.equal(q.len(), 0);
    q.shutDown();
  });

  it('wakes a waiting worker on add', async () => {
    const q = new WorkQueue<string>();
    const waiting = q.get();
    q.add('k');
    assert.equal(await waiting, 'k');
    q.shutDown();
  });

  it('shutDown releases idle workers with undefined, hands out what is queued first, ignores adds', async () => {
    const q = new WorkQueue<string>();
    const idle = q.get();
    q.shutDown();
    assert.equal(await idle, undefined);
    const q2 = new WorkQueue<string>();
    q2.add('left');
    q2.shutDown();
    q2.add('late');
    assert.equal(q2.shuttingDown(), true);
    assert.equal(await q2.get(), 'left');
    assert.equal(await q2.get(), undefined);
  });

  it('shutDownWithDrain waits for items being processed', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const a = await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => { drained = true; });
    await peek(p);
    assert.equal(drained, false);
    q.done(a!);
    await p;
    assert.equal(drained, true);
  });

  it('addAfter delays the item, keeps the earlier time, and de-duplicates with add', async () => {
    const q = new WorkQueue<string>();
    const t0 = performance.now();
    q.addAfter('d', 60_000);
    q.addAfter('d', 30);
    const got = await keepAlive(q.get());
    assert.equal(got, 'd');
    assert.ok(performance.now() - t0 >= 25, 'delivered no earlier than the delay');
    q.done('d');
    q.addAfter('e', 0);
    assert.equal(q.len(), 1);
    q.shutDown();
  });

  it('addRateLimited backs off per item; forget resets numRequeues', async () => {
    const q = new WorkQueue<string>({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 1000) });
    q.addRateLimited('r');
    q.addRateLimited('r');
    assert.equal(q.numRequeues('r'), 2);
    assert.equal(await keepAlive(q.get()), 'r');
    q.done('r');
    q.forget('r');
    assert.equal(q.numRequeues('r'), 0);
    q.shutDown();
  });
});

describe('rate limiters', () => {
  it('exponential per-item: base doubling, capped, independent per item', () => {
    const r = new ItemExponentialFailureRateLimiter<string>(5, 1000 * 1000);
    const seen = Array.from({ length: 5 }, () => r.when('a'));
    assert.deepEqual(seen, [5, 10, 20, 40, 80]);
    assert.equal(r.when('b'), 5);
    for (let i = 0; i < 100; i++) r.when('a');
    assert.equal(r.when('a'), 1000 * 1000);
    assert.equal(r.numRequeues('a'), 106);
    r.forget('a');
    assert.equal(r.when('a'), 5);
  });

  it('token bucket: burst free, then 1/qps apart', () => {
    let now = 0;
    const b = new BucketRateLimiter<string>(10, 3, () => now);
    assert.deepEqual([b.when('x'), b.when('y'), b.when('z')], [0, 0, 0]);
    assert.equal(Math.round(b.when('w')), 100);
    assert.equal(Math.round(b.when('v')), 200);
    now = 1000;
    // 10 tokens refilled minus the 2 borrowed, capped at the burst of 3.
    assert.equal(b.when('u'), 0);
  });

  it('max-of combines; the default limiter gives 5 ms doubling per item and a 10 qps / 100 burst bucket', () => {
    let now = 0;
    const m = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 1e6), new BucketRateLimiter<string>(10, 100, () => now));
    assert.equal(m.when('a'), 5);
    assert.equal(m.when('a'), 10);
    for (let i = 0; i < 98; i++) m.when(`k${i}`);
    // The 101st call exhausts the burst: the bucket's 100 ms beats the item's 5 ms.
    assert.equal(Math.round(m.when('fresh')), 100);
    assert.equal(m.numRequeues('a'), 2);
    const d = defaultControllerRateLimiter<string>(() => 0);
    assert.deepEqual([d.when('i'), d.when('i'), d.when('i')], [5, 10, 20]);
    for (let i = 0; i < 30; i++) d.when('i');
    assert.equal(d.when('i'), 1000 * 1000);
  });
});
