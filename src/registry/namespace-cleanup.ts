// Finishing a namespace deletion: delete everything in a Terminating namespace, then drop
// its `kubernetes` finalizer so the namespace itself goes. Upstream's namespace controller
// does this; it lives here until controllers have the client/ layer to work through.

import { findResource, STORED_RESOURCES } from '../api/resources.js';
import { StatusError } from '../api/errors.js';
import type { Registry } from './registry.js';

const RETRY_MS = 1000;

export function startNamespaceCleanup(registry: Registry): () => void {
  const namespaces = findResource('', 'v1', 'namespaces')!;
  // events.k8s.io/v1 Events are the core ones seen through another API: clean them once.
  const contents = STORED_RESOURCES.filter((r) => r.namespaced && !(r.group === 'events.k8s.io'));
  const scheduled = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const schedule = (name: string, delay: number) => {
    if (stopped || scheduled.has(name)) return;
    scheduled.set(name, setTimeout(() => sweep(name), delay).unref());
  };

  const sweep = (name: string) => {
    scheduled.delete(name);
    if (stopped) return;
    let remaining = 0;
    for (const info of contents) {
      for (const item of registry.list(info, name).items) {
        try {
          if (!registry.delete(info, name, item.metadata.name!, { propagationPolicy: 'Background' }).deleted) remaining++;
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
    }
    if (remaining > 0) {
      schedule(name, RETRY_MS);
      return;
    }
    try {
      const ns = registry.get(namespaces, undefined, name);
      const finalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter((f) => f !== 'kubernetes');
      registry.update(namespaces, undefined, name, { ...ns, spec: { ...(ns.spec as object), finalizers } }, { subresource: 'finalize' });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
      if (e.code === 409) schedule(name, 0);
    }
  };

  const stopWatch = registry.watch(namespaces, undefined, {}, (type, ns) => {
    if (type !== 'DELETED' && ns.metadata.deletionTimestamp) schedule(ns.metadata.name!, 0);
  });
  return () => {
    stopped = true;
    stopWatch();
    for (const t of scheduled.values()) clearTimeout(t);
  };
}
