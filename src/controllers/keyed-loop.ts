// The client-go style worker loop over a keyed WorkQueue, shared by the controllers: once the
// controller's informers have listed, N workers each take a key, sync it, and then forget it
// (success), look at it again later (`{ requeueAfterMs }`), or requeue it rate-limited (failure;
// optionally dropped after too many retries); and finally mark it done.

import { StatusError } from '../api/errors.js';
import type { Informer } from '../client/informer-types.js';
import type { WorkQueue } from '../client/work-queue.js';
import type { ControllerContext, RunningController } from './context.js';

/** A failure already reported (say, as an Event): the loop retries it without logging it. */
export class RequeueError extends Error {}

/** What a sync may ask for besides plain success: the key is added again after this long (not forgotten: its failure history stays). */
export interface RequeueAfter {
  requeueAfterMs: number;
}

export interface KeyedLoopOptions {
  ctx: ControllerContext;
  queue: WorkQueue<string>;
  /** The workers start once these have synced. */
  informers: Informer[];
  /** How many workers run the loop (default 1). */
  workers?: number;
  sync(key: string): Promise<void | RequeueAfter>;
  /** Names a key in the line logged for a failed sync: `${describe(key)} failed, requeuing: ${message}`. Default: the key. */
  describe?(key: string): string;
  /** Failures retried without a log line (RequeueError always is). */
  quiet?(err: unknown): boolean;
  /** Where log lines go (default: stderr, one line each). */
  log?(line: string): void;
  /** Upstream's maxRetries: a key that failed again after this many retries is forgotten instead of requeued, and reported to onDrop. */
  maxRetries?: number;
  onDrop?(key: string, message: string): void;
  /** Whether a successful sync clears the key's failure history (default true). */
  forgetOnSuccess?: boolean;
  /** Runs once the informers have synced, before the workers start (not after stop()). */
  onSynced?(): void;
}

/** A quiet predicate: a 409 from a stale cache is the common, harmless failure; the retry fixes it. */
export function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.code === 409;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The factory may start after the controller registers: wait until these informers have listed. */
export async function waitInformersSynced(ctx: ControllerContext, informers: Informer[], stopped: () => boolean): Promise<void> {
  while (!stopped() && !informers.every((i) => i.hasSynced())) {
    await ctx.informers.waitForCacheSync();
    if (!informers.every((i) => i.hasSynced())) await new Promise((r) => setTimeout(r, 10));
  }
}

/** One worker: takes keys until the queue shuts down and hands out its last one. */
async function work(o: KeyedLoopOptions): Promise<void> {
  const { queue } = o;
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      const result = await o.sync(key);
      if (result) queue.addAfter(key, result.requeueAfterMs);
      else if (o.forgetOnSuccess !== false) queue.forget(key);
    } catch (e) {
      if (o.maxRetries !== undefined && queue.numRequeues(key) >= o.maxRetries) {
        queue.forget(key);
        o.onDrop?.(key, errorMessage(e));
      } else {
        if (!(e instanceof RequeueError) && !o.quiet?.(e)) {
          const line = `${o.describe ? o.describe(key) : key} failed, requeuing: ${errorMessage(e)}`;
          if (o.log) o.log(line);
          else process.stderr.write(`${line}\n`);
        }
        queue.addRateLimited(key);
      }
    } finally {
      queue.done(key);
    }
  }
}

/** Waits for the informers, then runs the workers; stop() shuts the queue down and awaits them. */
export function runKeyedLoop(o: KeyedLoopOptions): RunningController {
  let stopped = false;
  const workers: Promise<void>[] = [];
  void waitInformersSynced(o.ctx, o.informers, () => stopped).then(() => {
    if (stopped) return;
    o.onSynced?.();
    for (let i = 0; i < (o.workers ?? 1); i++) workers.push(work(o));
  });
  return {
    async stop() {
      stopped = true;
      o.queue.shutDown();
      await Promise.all(workers);
    },
  };
}
