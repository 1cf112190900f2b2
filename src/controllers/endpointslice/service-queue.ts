// The work loop both endpoint controllers share: the keyed loop over a rate-limited queue of
// Service keys (`namespace/name`), with upstream's worker count (5) and retry policy
// (silent rate-limited retries, dropped after 15).

import type { KObject } from '../../api/object.js';
import type { DeletedFinalStateUnknown, Informer } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { runKeyedLoop } from '../keyed-loop.js';

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
  return runKeyedLoop({
    ctx: o.ctx,
    queue: o.queue,
    informers: o.informers,
    workers: Math.max(1, o.ctx.options.workers ?? 5),
    sync: o.sync,
    // Retries are silent; only giving up on a service is logged.
    quiet: () => true,
    maxRetries: MAX_RETRIES,
    onDrop: (key, message) => process.stderr.write(`${o.name}: dropping service ${key} out of the queue: ${message}\n`),
    onSynced: o.onSynced,
  });
}
