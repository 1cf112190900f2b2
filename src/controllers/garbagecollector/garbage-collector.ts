// The garbage collector's plumbing (upstream garbagecollector.go and graph_builder.go's
// monitors): an informer on every monitored resource feeds the ownership graph; the graph
// queues uids on two rate-limited work queues, attemptToDelete and attemptToOrphan, whose
// workers judge each item against the API server and write. Level-triggered: every decision
// re-reads the cluster, so a repeated or stale queue item is harmless.

import type { KObject } from '../../api/object.js';
import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import type { DeletedFinalStateUnknown, Informer } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { processAttemptToDelete, type Outcome } from './attempt-to-delete.js';
import { processAttemptToOrphan } from './attempt-to-orphan.js';
import { ClusterOperations, isStatus, RestMappingError } from './cluster-operations.js';
import { DependencyGraph, type GraphNode, type GraphSink } from './dependency-graph.js';
import { describeIdentity, identityFromReference, identityOf } from './object-identity.js';
import { monitoredResources } from './monitored-resources.js';

export const COMPONENT = 'garbage-collector-controller';
/** Upstream's --concurrent-gc-syncs default. */
const DEFAULT_WORKERS = 20;

export interface GarbageCollectorOptions {
  /** Resources to watch; defaults to every deletable, listable, watchable one but events. */
  resources?: ResourceInfo[];
  workers?: number;
}

/** A running collector, with its graph exposed for tests and diagnostics. */
export interface RunningGarbageCollector extends RunningController {
  readonly graph: DependencyGraph;
  /** Resolves once the informers have synced and the workers run. */
  readonly ready: Promise<void>;
}

function isTombstone(obj: KObject | DeletedFinalStateUnknown): obj is DeletedFinalStateUnknown {
  return 'key' in obj && 'obj' in obj && !('metadata' in obj);
}

function logError(what: string, err: unknown): void {
  // Conflicts and vanished objects are the ordinary cost of racing other writers: retry quietly.
  if (isStatus(err, 409) || isStatus(err, 404)) return;
  const message = err instanceof Error ? err.message : String(err);
  // An unknown apiVersion/kind is retried like any error: the server may learn it later.
  const hint = err instanceof RestMappingError ? ' (unknown kind)' : '';
  process.stderr.write(`${COMPONENT}: error syncing item ${what}${hint}: ${message}\n`);
}

export function startGarbageCollectorWith(ctx: ControllerContext, opts: GarbageCollectorOptions = {}): RunningGarbageCollector {
  const attemptToDelete = new WorkQueue<string>();
  const attemptToOrphan = new WorkQueue<string>();
  const absent = new AbsentOwnerCache();
  const recorder = ctx.events.recorderFor(COMPONENT);
  let stopped = false;

  const sink: GraphSink = {
    attemptToDelete: (uid) => attemptToDelete.add(uid),
    attemptToDeleteRateLimited: (uid) => attemptToDelete.addRateLimited(uid),
    attemptToOrphan: (uid) => attemptToOrphan.add(uid),
    ownerAbsent: (owner) => absent.add(owner),
    invalidNamespaceOwnerRef: (dependent, ownerUid) => reportInvalidNamespace(dependent, ownerUid),
  };
  const graph = new DependencyGraph(sink);
  const ops = new ClusterOperations(ctx.client);

  function reportInvalidNamespace(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((r) => r.uid === ownerUid);
    if (!ref) return;
    const d = dependent.identity;
    const involved: KObject = { apiVersion: d.apiVersion, kind: d.kind, metadata: { name: d.name, namespace: d.namespace || undefined, uid: d.uid } };
    const owner = describeIdentity(identityFromReference(ref, d.namespace));
    recorder.event(involved, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${owner} does not exist in namespace "${d.namespace}"`);
  }

  const informers: Informer[] = [];
  for (const res of opts.resources ?? monitoredResources()) {
    const informer = ctx.informers.forResource(res);
    const apiVersion = groupVersion(res);
    const id = (obj: KObject) => identityOf(apiVersion, res.kind, obj);
    informer.addEventHandler({
      onAdd: (obj) => {
        if (!stopped) graph.observe(id(obj), obj);
      },
      onUpdate: (oldObj, obj) => {
        if (!stopped) graph.observe(id(obj), obj, oldObj);
      },
      onDelete: (obj) => {
        if (!stopped) graph.observeDeletion(id(isTombstone(obj) ? obj.obj : obj));
      },
    });
    informers.push(informer);
  }

  async function work(queue: WorkQueue<string>, name: string, process: (uid: string) => Promise<Outcome>): Promise<void> {
    for (;;) {
      const uid = await queue.get();
      if (uid === undefined) return;
      try {
        if (stopped) continue;
        const outcome = await process(uid);
        if (outcome === 'forget') queue.forget(uid);
        else if (!stopped) queue.addRateLimited(uid);
      } catch (err) {
        logError(`${name} ${describeNode(uid)}`, err);
        if (!stopped) queue.addRateLimited(uid);
      } finally {
        queue.done(uid);
      }
    }
  }

  function describeNode(uid: string): string {
    const n = graph.node(uid);
    return n ? describeIdentity(n.identity) : uid;
  }

  const deleteDeps = { graph, ops, absent, enqueue: (uid: string) => attemptToDelete.add(uid) };
  const orphanDeps = { graph, ops };
  const workers: Promise<void>[] = [];
  const count = Math.max(1, opts.workers ?? ctx.options.workers ?? DEFAULT_WORKERS);

  // The graph must be whole before any judgement: a dependent listed before its owner would
  // otherwise look like an orphan.
  const ready = waitForSync(ctx, informers, () => stopped).then(() => {
    if (stopped) return;
    for (let i = 0; i < count; i++) {
      workers.push(work(attemptToDelete, 'attemptToDelete', (uid) => processAttemptToDelete(deleteDeps, uid)));
      workers.push(work(attemptToOrphan, 'attemptToOrphan', (uid) => processAttemptToOrphan(orphanDeps, uid)));
    }
  });

  return {
    graph,
    ready,
    async stop() {
      stopped = true;
      attemptToDelete.shutDown();
      attemptToOrphan.shutDown();
      await ready.catch(() => undefined);
      await Promise.all(workers);
    },
  };
}

async function waitForSync(ctx: ControllerContext, informers: Informer[], stopped: () => boolean): Promise<void> {
  await ctx.informers.waitForCacheSync();
  // waitForCacheSync covers the informers started so far; ours may have been created after.
  while (!stopped() && !informers.every((i) => i.hasSynced())) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
