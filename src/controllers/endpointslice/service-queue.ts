// The work loop both endpoint controllers share: the keyed loop over a rate-limited queue of
// Service keys (`namespace/name`), with upstream's worker count (5) and retry policy
// (silent rate-limited retries, dropped after 15).

import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { DeletedFinalStateUnknown, Informer } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { runKeyedLoop } from '../keyed-loop.js';
import { selectsPod } from './service-facts.js';

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

/** A write refused because the Service's namespace is being deleted: nothing to retry. */
export function namespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/**
 * What both endpoint controllers react to alike: any change to a Service queues it, and any
 * change to a pod queues every Service (of its namespace) that selects it, before and after.
 * Returns the pod → Services step, for controllers that react to more kinds.
 */
export function queueServicesOnChanges(services: Informer, pods: Informer, queue: WorkQueue<string>): (pod: KObject) => void {
  const queueServicesOf = (pod: KObject) => {
    for (const svc of services.lister.listNamespace(pod.metadata.namespace ?? '')) if (selectsPod(svc, pod)) queue.add(keyOf(svc));
  };
  services.addEventHandler({
    onAdd: (s) => queue.add(keyOf(s)),
    onUpdate: (_o, s) => queue.add(keyOf(s)),
    onDelete: (s) => queue.add(keyOf(unwrap(s))),
  });
  pods.addEventHandler({
    onAdd: queueServicesOf,
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      queueServicesOf(old);
      queueServicesOf(cur);
    },
    onDelete: (p) => queueServicesOf(unwrap(p)),
  });
  return queueServicesOf;
}
