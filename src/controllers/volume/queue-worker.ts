// The loop every volume controller runs: take a key, sync it, forget it on success, requeue it
// rate-limited on failure (a 409 from a stale cache is the common, harmless case).

import { StatusError } from '../../api/errors.js';
import type { Informer } from '../../client/informer-types.js';
import type { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext } from '../context.js';

/** A failure already reported (as an Event): retry it quietly. */
export class RequeueError extends Error {}

export async function runQueueWorker(queue: WorkQueue<string>, name: string, sync: (key: string) => Promise<void>): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      await sync(key);
      queue.forget(key);
    } catch (e) {
      if (!(e instanceof RequeueError) && !(e instanceof StatusError && e.code === 409)) {
        process.stderr.write(`${name} ${key} failed, requeuing: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}

/** The factory may start after the controller registers: wait until these informers have listed. */
export async function waitInformersSynced(ctx: ControllerContext, informers: Informer[], stopped: () => boolean): Promise<void> {
  while (!stopped() && !informers.every((i) => i.hasSynced())) {
    await ctx.informers.waitForCacheSync();
    if (!informers.every((i) => i.hasSynced())) await new Promise((r) => setTimeout(r, 10));
  }
}
