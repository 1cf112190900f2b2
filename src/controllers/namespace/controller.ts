// The namespace controller (upstream pkg/controller/namespace): namespaces being deleted are
// queued, after a short grace period, and emptied by the NamespacedResourcesDeleter; while
// content remains the namespace is looked at again after half the estimate.

import { mustFindResource } from '../../api/resources.js';
import type { KObject } from '../../api/object.js';
import { objectKey } from '../../client/informer-types.js';
import { ItemExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter } from '../../client/rate-limiter.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { runKeyedLoop } from '../keyed-loop.js';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './content-deleter.js';

export const COMPONENT = 'namespace-controller';

export interface NamespaceControllerOptions {
  /**
   * How long after seeing a deletion the namespace is processed (upstream: 5 s, so that
   * last-minute creations are visible to every API server). Tests may shorten it.
   */
  deletionGracePeriodMs?: number;
  /** Upstream --concurrent-namespace-syncs, default 10. */
  workers?: number;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_WORKERS = 10;

const NAMESPACES = mustFindResource('', 'namespaces');

/** A namespace's retry limiter, as upstream's: per-item 5 ms…60 s, and 10 qps overall (burst 100). */
function namespaceRateLimiter() {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 60_000), new BucketRateLimiter<string>(10, 100));
}

export function newNamespaceController(opts: NamespaceControllerOptions = {}) {
  return (ctx: ControllerContext): RunningController => startNamespaceControllerWith(ctx, opts);
}

export function startNamespaceController(ctx: ControllerContext): RunningController {
  return startNamespaceControllerWith(ctx, {});
}

function startNamespaceControllerWith(ctx: ControllerContext, opts: NamespaceControllerOptions): RunningController {
  const informer = ctx.informers.forResource(NAMESPACES);
  const queue = new WorkQueue<string>({ rateLimiter: namespaceRateLimiter() });
  const deleter = new NamespacedResourcesDeleter({ client: ctx.client, now: () => ctx.now() });
  const graceMs = opts.deletionGracePeriodMs ?? DEFAULT_GRACE_MS;

  const enqueue = (ns: KObject) => {
    if (!ns.metadata.deletionTimestamp) return;
    queue.addAfter(objectKey(ns), graceMs);
  };
  informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });

  return runKeyedLoop({
    ctx,
    queue,
    informers: [informer],
    workers: opts.workers ?? DEFAULT_WORKERS,
    sync: async (key) => {
      try {
        await deleter.delete(key);
      } catch (e) {
        // Content remains: look again after half the estimate (as upstream: no log, and not forgotten).
        if (e instanceof ResourcesRemainingError) return { requeueAfterMs: (Math.floor(e.estimate / 2) + 1) * 1000 };
        throw e;
      }
    },
    describe: (key) => `namespace-controller: deletion of namespace ${key}`,
  });
}
