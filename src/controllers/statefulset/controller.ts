// The StatefulSet controller's plumbing (upstream stateful_set.go): informers on sets,
// pods, claims and revisions; pod events mapped to set keys; a rate-limited work queue
// keyed `ns/name` drained by N workers; each sync claims the set's pods and revisions and
// hands them to the decision logic (sync.ts) through ports over the real client.

import type { KObject } from '../../api/object.js';
import { StatusError } from '../../api/errors.js';
import { labelSelectorToRequirements, type LabelSelector } from '../../api/selectors.js';
import { objectKey, splitKey, type DeletedFinalStateUnknown, type Informer } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { waitInformersSynced } from '../keyed-loop.js';
import { adoptOrphanRevisions, claimPods, once, parentAndOrdinal, recheckSet, type ClaimDeps } from './claim-objects.js';
import { isTombstone, keysForPodAdd, keysForPodDelete, keysForPodUpdate, type PodEventKeys } from './pod-event-keys.js';
import { clientPorts, revisionsOfSet } from './ports-client.js';
import { syncStatefulSet } from './sync.js';
import { RESOURCES } from './watched-resources.js';

export const COMPONENT = 'statefulset-controller';
const DEFAULT_WORKERS = 5;

interface Informers {
  sets: Informer;
  pods: Informer;
  claims: Informer;
  revisions: Informer;
}

function registerInformers(ctx: ControllerContext): Informers {
  return {
    sets: ctx.informers.forResource(RESOURCES.sets),
    pods: ctx.informers.forResource(RESOURCES.pods),
    claims: ctx.informers.forResource(RESOURCES.claims),
    revisions: ctx.informers.forResource(RESOURCES.revisions),
  };
}

function logError(key: string, err: unknown): void {
  // Conflicts are the ordinary cost of racing the cache; the retry fixes them quietly.
  if (err instanceof StatusError && err.code === 409) return;
  process.stderr.write(`statefulset-controller: error syncing StatefulSet ${key}, requeuing: ${err instanceof Error ? err.message : String(err)}\n`);
}

/**
 * Keys of the sets a claim concerns: its owner set, or the set of the pod that owns it
 * (whenScaled: Delete). Upstream watches claims without handlers; waking the set when a
 * claim goes away lets a pod blocked on a stale claim be created without another event.
 */
function keysForClaim(inf: Informers, claim: KObject): string[] {
  const ns = claim.metadata.namespace ?? '';
  const keys: string[] = [];
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (ref.kind === 'StatefulSet') keys.push(`${ns}/${ref.name}`);
    else if (ref.kind === 'Pod') {
      const parent = parentAndOrdinal(ref.name)?.parent;
      if (parent !== undefined) keys.push(`${ns}/${parent}`);
    }
  }
  return keys.filter((k) => inf.sets.lister.get(k) !== undefined);
}

/**
 * A sync of a big set is CPU work that holds the one event loop this process has. Holding
 * the key (not the loop) for as long again before letting it sync once more gives the loop
 * time to apply the events that arrived meanwhile, so that one sync covers many changes
 * instead of each change paying for a full pass over every pod. Below the threshold no
 * hold is added, so small sets keep their per-event latency.
 */
const HOLD_THRESHOLD_MS = 5;
// Wall time includes awaited writes, not only CPU: cap the hold so a sync that created many pods does not stall the next.
const MAX_HOLD_MS = 500;
async function holdAfterLongSync(elapsedMs: number): Promise<void> {
  if (elapsedMs < HOLD_THRESHOLD_MS) return;
  await new Promise((r) => setTimeout(r, Math.min(elapsedMs, MAX_HOLD_MS)));
}

export function startStatefulSetController(ctx: ControllerContext): RunningController {
  const inf = registerInformers(ctx);
  const queue = new WorkQueue<string>();
  const recorder = ctx.events.recorderFor(COMPONENT);
  const ports = clientPorts({
    client: ctx.client,
    pods: inf.pods.lister,
    claims: inf.claims.lister,
    sets: inf.sets.lister,
    revisions: inf.revisions.lister,
    recorder,
    now: () => ctx.now(),
  });
  let stopped = false;

  const enqueue = (keys: PodEventKeys) => {
    for (const k of keys.now) queue.add(k);
    for (const l of keys.later) queue.addAfter(l.key, l.delayMs);
  };
  const enqueueSet = (obj: KObject | DeletedFinalStateUnknown) => queue.add(isTombstone(obj) ? obj.key : objectKey(obj));

  inf.sets.addEventHandler({ onAdd: enqueueSet, onUpdate: (_old, cur) => enqueueSet(cur), onDelete: enqueueSet });
  inf.pods.addEventHandler({
    onAdd: (pod) => enqueue(keysForPodAdd(inf.sets.lister, pod)),
    onUpdate: (oldPod, curPod) => enqueue(keysForPodUpdate(inf.sets.lister, oldPod, curPod)),
    onDelete: (obj) => enqueue(keysForPodDelete(inf.sets.lister, obj)),
  });
  inf.claims.addEventHandler({
    onDelete: (obj) => {
      for (const k of keysForClaim(inf, isTombstone(obj) ? obj.obj : obj)) queue.add(k);
    },
  });

  async function sync(key: string): Promise<void> {
    const set = inf.sets.lister.get(key);
    if (!set) return; // deleted: its dependents are the garbage collector's
    const { namespace, name } = splitKey(key);
    try {
      labelSelectorToRequirements((set.spec as { selector?: LabelSelector } | undefined)?.selector);
    } catch (err) {
      // A selector the server accepted but we cannot parse will not get better by retrying.
      process.stderr.write(`statefulset-controller: StatefulSet ${key} has an invalid selector: ${(err as Error).message}\n`);
      return;
    }
    const canAdopt = once(() => recheckSet(set, () => ctx.client.get(RESOURCES.sets, namespace, name)));
    const patchWith = (res: typeof RESOURCES.pods) => (obj: KObject, patch: unknown) =>
      ctx.client.patch(res, obj.metadata.namespace, obj.metadata.name!, 'strategic', patch);

    const revDeps: ClaimDeps = { patch: patchWith(RESOURCES.revisions), canAdopt };
    await adoptOrphanRevisions(set, revisionsOfSet(set, inf.revisions.lister.listNamespace(namespace ?? '')), revDeps);

    const podDeps: ClaimDeps = { patch: patchWith(RESOURCES.pods), canAdopt };
    const pods = await claimPods(set, inf.pods.lister.listNamespace(namespace ?? ''), podDeps);

    const result = await syncStatefulSet(set, pods, ports, { maxUnavailable: ctx.options.maxUnavailableStatefulSet ?? false });
    if (result.requeueAfterMs !== undefined && !stopped) queue.addAfter(key, result.requeueAfterMs);
  }

  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const started = performance.now();
      try {
        if (stopped) continue;
        await sync(key);
        queue.forget(key);
      } catch (err) {
        logError(key, err);
        if (!stopped) queue.addRateLimited(key);
      } finally {
        await holdAfterLongSync(performance.now() - started);
        queue.done(key);
      }
    }
  }

  const workers: Promise<void>[] = [];
  const count = Math.max(1, ctx.options.workers ?? DEFAULT_WORKERS);
  // The factory's wait covers only informers it has started, and the manager starts them after
  // every controller registered; a sync over an empty pod cache would re-create pods.
  const ready = waitInformersSynced(ctx, [inf.sets, inf.pods, inf.claims, inf.revisions], () => stopped).then(() => {
    if (stopped) return;
    for (let i = 0; i < count; i++) workers.push(worker());
  });

  return {
    async stop() {
      stopped = true;
      queue.shutDown();
      await ready.catch(() => undefined);
      await Promise.all(workers);
    },
  };
}
