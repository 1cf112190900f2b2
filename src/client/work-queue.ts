// A keyed, de-duplicating, delaying, rate-limited work queue with client-go's contract
// (util/workqueue): an item waiting is queued once however often it is added; an item added
// while a worker processes it is queued again once, when the worker calls done(); so no two
// workers ever hold the same item, and no change is lost.

import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  /** Defaults to client-go's DefaultControllerRateLimiter. */
  rateLimiter?: RateLimiter<T>;
}

export class WorkQueue<T> {
  // The FIFO of items ready to be handed out; `head` avoids O(n) shifts.
  private queue: T[] = [];
  private head = 0;
  /** Items that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  /** Items a worker holds between get() and done(). */
  private readonly processing = new Set<T>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private readonly delayed = new Map<T, { at: number; timer: NodeJS.Timeout }>();
  private readonly drainWaiters: (() => void)[] = [];
  private stopping = false;
  readonly rateLimiter: RateLimiter<T>;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>();
  }

  /** Marks `item` as needing processing. Ignored after shutdown. */
  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.dirty.add(item);
    // A worker holds it: done() re-queues it, so it is never handed to two workers at once.
    if (this.processing.has(item)) return;
    this.push(item);
  }

  /**
   * The next item, once one is ready. Items still queued at shutdown are handed out first;
   * then (and for every waiter at shutdown) it resolves to undefined, the worker's cue to exit.
   */
  get(): Promise<T | undefined> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.stopping) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker has finished with `item`; if it was added meanwhile, it is queued again now. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) this.push(item);
    this.checkDrained();
  }

  /** Adds `item` after `delayMs`. An item already waiting keeps the earlier of the two times. */
  addAfter(item: T, delayMs: number): void {
    if (this.stopping) return;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const at = performance.now() + delayMs;
    const existing = this.delayed.get(item);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(item);
      this.add(item);
    }, delayMs);
    timer.unref();
    this.delayed.set(item, { at, timer });
  }

  /** Adds `item` once the rate limiter allows: the retry path after a failed reconcile. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears `item`'s failure history: call after a successful reconcile. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items ready to be handed out (not those being processed or waiting on a delay). */
  len(): number {
    return this.queue.length - this.head;
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  /** Stops accepting items and releases idle workers; queued items are still handed out. */
  shutDown(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    // Waiters exist only while the queue is empty.
    for (const w of this.waiters.splice(0)) w(undefined);
    this.checkDrained();
  }

  /** shutDown(), then resolves once every queued item has been handed out and marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(item);
      this.processing.add(item);
      waiter(item);
      return;
    }
    this.queue.push(item);
  }

  private take(): T {
    const item = this.queue[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }

  private isDrained(): boolean {
    return this.processing.size === 0 && this.head >= this.queue.length;
  }

  private checkDrained(): void {
    if (this.stopping && this.drainWaiters.length > 0 && this.isDrained()) for (const w of this.drainWaiters.splice(0)) w();
  }
}
