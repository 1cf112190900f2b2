// The work loop both endpoint controllers share: a rate-limited queue of Service keys
// (`namespace/name`), workers that start once the controller's informers have listed, and
// upstream's retry policy (rate-limited retries, dropped after 15).

import type { KObject } from '../../api/object.js';
import type { DeletedFinalStateUnknown, Informer } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';

export const MAX_RETRIES = 15;

export function isTombstone(o: KObject | DeletedFinalStateUnknown): o is DeletedFinalStateUnknown {
  return (o as DeletedFinalStateUnknown).key !== undefined && (o as DeletedFinalStateUnknown).obj !== undefined;
}

export function unwrap(o: KObject | DeletedFinalStateUnknown): KObject {
  return isTombstone(o) ? o.obj : o;
}

export function keyOf(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** The factory may start after the controller registers: wait until these informers have listed. */
async function waitSynced(ctx: ControllerContext, informers: Informer[], stopped: () => boolean): Promise<void> {
  while (!stopped() && !informers.every((i) => i.hasSynced())) {
    await ctx.informers.waitForCacheSync();
    if (!informers.every((i) => i.hasSynced())) await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ServiceQueueOptions {
  name: string;
  ctx: ControllerContext;
  queue: WorkQueue<string>;
  informers: Informer[];
  sync(key: string): Promise<void>;
  /** Runs once the caches have synced, before the workers start. */
  onSynced?(): void;
}

export function runServiceQueue(o: ServiceQueueOptions): RunningController {
  const workers = Math.max(1, o.ctx.options.workers ?? 5);
  const work = async () => {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      try {
        await o.sync(key);
        o.queue.forget(key);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (o.queue.numRequeues(key) < MAX_RETRIES) o.queue.addRateLimited(key);
        else {
          o.queue.forget(key);
          process.stderr.write(`${o.name}: dropping service ${key} out of the queue: ${msg}\n`);
        }
      } finally {
        o.queue.done(key);
      }
    }
  };
  let stopped = false;
  let running: Promise<void>[] = [];
  void waitSynced(o.ctx, o.informers, () => stopped).then(() => {
    if (stopped) return;
    o.onSynced?.();
    running = Array.from({ length: workers }, () => work());
  });
  return {
    async stop() {
      stopped = true;
      o.queue.shutDown();
      await Promise.all(running);
    },
  };
}
