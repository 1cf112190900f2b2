// One sync of a StatefulSet (upstream defaultStatefulSetControl.UpdateStatefulSet): pick
// the revisions, bring every ordinal in range to life in order, scale down from the top,
// roll pods to the update revision, then write status if it changed and trim history.
//
// OrderedReady ("monotonic"): a pod is created only once every lower ordinal is Running,
// Ready and available; nothing is deleted for scale-down or update until every pod in
// range is; one step per sync. Parallel ("burst"): creates and scale-down deletions go in
// slow-start batches without waiting for readiness.

import { clone, type KObject } from '../../api/object.js';
import type { StatefulSetPorts, SyncOptions, SyncResult } from './ports.js';
import { StatefulPodControl } from './pod-control.js';
import { aggregate } from './errors.js';
import { isCreated, isFailed, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating, isUnavailable } from './pod-health.js';
import { identityMatches, newVersionedPod, ordinalOf, podInOrdinalRange, storageMatches } from './pod-identity.js';
import { applyRevision, getStatefulSetRevisions, sortRevisions, truncateHistory } from '../history/index.js';
import { historyOverPorts } from './history-ports.js';
import { runForAll } from './slow-start.js';
import { countPods, newStatus, updateStatefulSetStatus, type ComputedStatus } from './status.js';
import { rollingUpdateOneAtATime, rollingUpdateWithMaxUnavailable } from './update-phase.js';
import { allowsBurst, endOrdinal, minReadySeconds, nameOf, replicasOf, startOrdinal, strategyType } from './spec.js';

export type { StatefulSetPorts, SyncOptions, SyncResult } from './ports.js';

/** Hooks for tests: observe slow-start batch sizes. */
export interface SyncHooks {
  onBatch?: (size: number) => void;
}

interface Context {
  set: KObject;
  updateSet: KObject;
  ports: StatefulSetPorts;
  podControl: StatefulPodControl;
  monotonic: boolean;
  now: Date;
}

/** §6.1: what one in-range replica needs. Resolves true to stop (monotonic) processing. */
async function processReplica(ctx: Context, replicas: KObject[], i: number): Promise<boolean> {
  const { set, updateSet, podControl, monotonic, now } = ctx;
  const pod = replicas[i]!;
  // Succeeded counts too: an evicted or node-rebooted pod's phase follows its exit code.
  if (isFailed(pod) || isSucceeded(pod)) {
    if (!isTerminating(pod)) await podControl.deleteStatefulPod(set, pod);
    // Recreated on a later sync, once the old object is gone.
    return true;
  }
  if (!isCreated(pod)) {
    if (await podControl.podClaimIsStale(set, pod)) return true;
    await podControl.createStatefulPod(set, pod);
    if (monotonic) return true;
  }
  if (isPending(pod)) await podControl.createMissingClaims(set, pod);
  if (monotonic) {
    if (isTerminating(pod)) return true;
    if (!isRunningAndReady(pod)) return true;
    if (!isRunningAndAvailable(pod, minReadySeconds(set), now)) return true;
  }
  let retentionMatch: boolean;
  try {
    retentionMatch = await podControl.claimsMatchRetentionPolicy(updateSet, pod);
  } catch {
    retentionMatch = true; // expected while the pod is being updated otherwise
  }
  if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
  await podControl.updateStatefulPod(updateSet, clone(pod));
  return false;
}

/** §6.2: one condemned pod, highest ordinal first. */
async function processCondemned(ctx: Context, condemned: KObject[], firstUnavailable: KObject | undefined, i: number): Promise<boolean> {
  const { set, podControl, monotonic, now } = ctx;
  const pod = condemned[i]!;
  if (isTerminating(pod)) return monotonic;
  if (monotonic && pod !== firstUnavailable) {
    if (!isRunningAndReady(pod)) return true;
    if (!isRunningAndAvailable(pod, minReadySeconds(set), now)) return true;
  }
  await podControl.deleteStatefulPod(set, pod);
  return true;
}

interface Outcome {
  status?: ComputedStatus;
  error?: unknown;
}

/** upstream updateStatefulSet: everything but the status write. */
async function reconcilePods(ctx: Context, currentSet: KObject, current: KObject, update: KObject, collisionCount: number, pods: KObject[], opts: SyncOptions, hooks: SyncHooks): Promise<Outcome> {
  const { set, now } = ctx;
  const mrs = minReadySeconds(set);
  const status = newStatus(set.metadata.generation ?? 0, nameOf(current), nameOf(update), collisionCount);
  countPods(status, mrs, now, nameOf(current), nameOf(update), pods);

  const start = startOrdinal(set);
  const replicas: (KObject | undefined)[] = new Array(Math.max(0, replicasOf(set))).fill(undefined);
  const condemned: KObject[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
    // Pods whose name carries no ordinal are ignored.
  }
  for (let ord = start; ord <= endOrdinal(set); ord++) {
    if (replicas[ord - start] === undefined) replicas[ord - start] = newVersionedPod(currentSet, ctx.updateSet, nameOf(current), nameOf(update), ord);
  }
  const inRange = replicas as KObject[];
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));

  let firstUnavailable = inRange.find((p) => isUnavailable(p, mrs, now));
  if (firstUnavailable === undefined) {
    for (let i = condemned.length - 1; i >= 0; i--) {
      if (isUnavailable(condemned[i]!, mrs, now)) { firstUnavailable = condemned[i]; break; }
    }
  }

  // A set being deleted only gets its status recomputed.
  if (set.metadata.deletionTimestamp) return { status };

  const recount = () => countPods(status, mrs, now, nameOf(current), nameOf(update), inRange, condemned);
  // Runs one phase over a list; an Outcome means "stop here" (blocked, or failed).
  const phase = async (count: number, fn: (i: number) => Promise<boolean>): Promise<Outcome | undefined> => {
    try {
      if (!(await runForAll(count, fn, ctx.monotonic, hooks.onBatch))) return undefined;
      recount();
      return { status };
    } catch (error) {
      recount();
      return { status, error };
    }
  };

  const replicaPhase = await phase(inRange.length, (i) => processReplica(ctx, inRange, i));
  if (replicaPhase) return replicaPhase;

  // Condemned claims get their retention ownerRefs before their pods go, so that a claim
  // owned by its pod disappears only after the pod.
  const claimPhase = await phase(condemned.length, async (i) => {
    const pod = condemned[i]!;
    if (!(await ctx.podControl.claimsMatchRetentionPolicy(ctx.updateSet, pod))) {
      await ctx.podControl.updatePodClaimForRetentionPolicy(ctx.updateSet, pod);
    }
    return false;
  });
  if (claimPhase) return claimPhase;

  const condemnedPhase = await phase(condemned.length, (i) => processCondemned(ctx, condemned, firstUnavailable, i));
  if (condemnedPhase) return condemnedPhase;

  recount();
  if (strategyType(set) === 'OnDelete') return { status };

  const input = { set, replicas: inRange, updateRevision: nameOf(update), status, podControl: ctx.podControl, now };
  try {
    if (opts.maxUnavailable) await rollingUpdateWithMaxUnavailable(input);
    else await rollingUpdateOneAtATime(input);
  } catch (error) {
    return { status, error };
  }
  return { status };
}

/**
 * Runs one sync of `set` over `pods` (the pods the plumbing has already claimed for the
 * set). Writes status (only when it changed) even when the sync fails, trims revision
 * history, then rejects with the sync's error (else the status write's, else history's).
 * Resolves with a requeue hint for minReadySeconds.
 */
export async function syncStatefulSet(set: KObject, pods: KObject[], ports: StatefulSetPorts, opts: SyncOptions, hooks: SyncHooks = {}): Promise<SyncResult> {
  set = clone(set);
  const revisions = sortRevisions(await ports.listRevisions(set));
  const errors: unknown[] = [];
  let current: KObject | undefined;
  let update: KObject | undefined;
  let status: ComputedStatus | undefined;
  const history = historyOverPorts(ports);
  try {
    const revs = await getStatefulSetRevisions(history, set, revisions);
    current = revs.currentRevision;
    update = revs.updateRevision;
    const currentSet = applyRevision(set, current);
    const updateSet = applyRevision(set, update);
    const ctx: Context = { set, updateSet, ports, podControl: new StatefulPodControl(ports), monotonic: !allowsBurst(set), now: ports.now() };
    const outcome = await reconcilePods(ctx, currentSet, current, update, revs.collisionCount, pods, opts, hooks);
    status = outcome.status;
    if (outcome.error !== undefined) errors.push(outcome.error);
    if (status) {
      try {
        await updateStatefulSetStatus(ports, set, status);
      } catch (err) {
        if (outcome.error === undefined) errors.push(err);
      }
    }
  } catch (err) {
    errors.push(err);
  }
  try {
    await truncateHistory(history, set, pods, revisions, current, update);
  } catch (err) {
    errors.push(err);
  }
  const err = aggregate(errors);
  if (err !== undefined) throw err;
  const mrs = minReadySeconds(set);
  if (mrs > 0 && status && status.availableReplicas !== replicasOf(set)) return { requeueAfterMs: mrs * 1000 };
  return {};
}
