// Emptying a terminating namespace (upstream deletion/namespaced_resources_deleter.go):
// mark it Terminating, delete every namespaced object in it (Background propagation, so the
// garbage collector takes dependents), record what remains in status conditions, and once
// nothing remains drop the `kubernetes` finalizer through the finalize subresource, after
// which the API server removes the namespace.

import { StatusError } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { mustFindResource, RESOURCES, type ResourceInfo } from '../../api/resources.js';
import type { Client } from '../../client/types.js';
import { failingConditions, mergeConditions, type ContentTotals, type NamespaceCondition } from './conditions.js';

export const FINALIZER_TOKEN = 'kubernetes';
/** A guess at how long other finalizers take, when remaining objects carry some. */
const FINALIZER_ESTIMATE_SECONDS = 15;

const NAMESPACES = mustFindResource('', 'namespaces');
const PODS = mustFindResource('', 'pods');

/** Some content is still going away; try again in about `estimate` seconds. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

/**
 * What discovery would list as deletable namespaced resources. events.k8s.io Events are the
 * core Events seen through another API: deleting them once is enough.
 */
export function deletableNamespacedResources(all: readonly ResourceInfo[] = RESOURCES): ResourceInfo[] {
  return all.filter((r) => r.namespaced && r.verbs.includes('delete') && r.verbs.includes('list') && r.group !== 'events.k8s.io');
}

export interface DeleterDeps {
  client: Client;
  now(): Date;
  resources?: readonly ResourceInfo[];
}

const isStatus = (e: unknown, code: number): e is StatusError => e instanceof StatusError && e.code === code;
const finalizersOf = (ns: KObject): string[] => (isPlainObject(ns.spec) && Array.isArray(ns.spec.finalizers) ? (ns.spec.finalizers as string[]) : []);
const statusOf = (ns: KObject): Record<string, unknown> => (isPlainObject(ns.status) ? ns.status : {});
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's %v of a GroupVersionResource: `apps/v1, Resource=statefulsets`. */
function gvrString(r: ResourceInfo): string {
  return `${r.group}/${r.version}, Resource=${r.plural}`;
}

interface ResourceOutcome {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

export class NamespacedResourcesDeleter {
  private readonly resources: readonly ResourceInfo[];

  constructor(private readonly deps: DeleterDeps) {
    this.resources = deps.resources ?? deletableNamespacedResources();
  }

  /**
   * One pass over namespace `name`. Resolves when there is nothing (more) to do; rejects
   * with ResourcesRemainingError while content is still going away, or with the error met.
   */
  async delete(name: string): Promise<void> {
    let ns: KObject;
    try {
      ns = await this.deps.client.get(NAMESPACES, undefined, name);
    } catch (e) {
      if (isStatus(e, 404)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    try {
      ns = await this.retryOnConflict(ns, (n) => this.markTerminating(n));
    } catch (e) {
      if (isStatus(e, 404)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (n) => this.finalize(n));
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
    }
  }

  private async retryOnConflict(ns: KObject, fn: (n: KObject) => Promise<KObject>): Promise<KObject> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (e) {
        if (!isStatus(e, 409)) throw e;
        const fresh = await this.deps.client.get(NAMESPACES, undefined, latest.metadata.name ?? '');
        if (fresh.metadata.uid !== latest.metadata.uid) throw new Error('namespace uid has changed across retries');
        latest = fresh;
      }
    }
  }

  private async markTerminating(ns: KObject): Promise<KObject> {
    if (!ns.metadata.deletionTimestamp || statusOf(ns).phase === 'Terminating') return ns;
    return this.deps.client.updateStatus(NAMESPACES, undefined, { ...ns, status: { ...statusOf(ns), phase: 'Terminating' } });
  }

  private async finalize(ns: KObject): Promise<KObject> {
    if (!finalizersOf(ns).includes(FINALIZER_TOKEN)) return ns;
    // Upstream rebuilds the list as a sorted set without its own token.
    const rest = [...new Set(finalizersOf(ns).filter((f) => f !== FINALIZER_TOKEN))].sort();
    return this.deps.client.finalizeNamespace({ ...ns, spec: { ...(isPlainObject(ns.spec) ? ns.spec : {}), finalizers: rest } });
  }

  /** Deletes everything it can; returns the longest estimate of what is still going away. */
  private async deleteAllContent(ns: KObject): Promise<number> {
    const name = ns.metadata.name ?? '';
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp!);
    const errors: string[] = [];
    const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map() };
    let estimate = 0;
    for (const res of this.resources) {
      let outcome: ResourceOutcome;
      try {
        outcome = await this.deleteResource(res, name, deletedAt);
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
        if (e instanceof ContentError) outcome = e.outcome;
        else continue;
      }
      estimate = Math.max(estimate, outcome.estimate);
      if (outcome.remaining > 0) {
        totals.remainingByResource.set(`${res.plural}.${res.group}`, outcome.remaining);
        for (const [f, n] of outcome.finalizers) totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + n);
      }
    }
    await this.writeConditions(ns, failingConditions(totals, errors, rfc3339(this.deps.now())));
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return estimate;
  }

  private async writeConditions(ns: KObject, failures: NamespaceCondition[]): Promise<void> {
    const status = statusOf(ns);
    const { conditions, changed } = mergeConditions(status.conditions as NamespaceCondition[] | undefined, failures, rfc3339(this.deps.now()));
    if (!changed) return;
    try {
      await this.deps.client.updateStatus(NAMESPACES, undefined, { ...ns, status: { ...status, conditions } });
    } catch (e) {
      // As upstream: a failed condition write is reported, not fatal; the next pass rewrites it.
      process.stderr.write(`namespace-controller: couldn't update status condition for namespace "${ns.metadata.name}": ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }

  private async deleteResource(res: ResourceInfo, namespace: string, deletedAt: number): Promise<ResourceOutcome> {
    const estimate = res.group === '' && res.plural === 'pods' ? await this.podEstimate(namespace, deletedAt) : 0;
    const { client } = this.deps;
    for (const item of (await client.list(res, namespace)).items) {
      try {
        await client.delete(res, namespace, item.metadata.name ?? '', { propagationPolicy: 'Background' });
      } catch (e) {
        if (!isStatus(e, 404) && !isStatus(e, 405)) throw e;
      }
    }
    const left = (await client.list(res, namespace)).items;
    if (left.length === 0) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0) return { estimate, remaining: left.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    throw new ContentError(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(res)}`, { estimate, remaining: left.length, finalizers });
  }

  /** The longest grace period of a non-terminal pod, or 0 once that long has passed since the namespace was deleted. */
  private async podEstimate(namespace: string, deletedAt: number): Promise<number> {
    let estimate = 0;
    for (const pod of (await this.deps.client.list(PODS, namespace)).items) {
      const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = isPlainObject(pod.spec) ? pod.spec.terminationGracePeriodSeconds : undefined;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    const elapsedMs = this.deps.now().getTime() - deletedAt;
    return elapsedMs >= estimate * 1000 ? 0 : estimate;
  }
}

/** A per-resource failure that still knows what remained (upstream returns both). */
class ContentError extends Error {
  constructor(message: string, readonly outcome: ResourceOutcome) {
    super(message);
  }
}
