// The scheduler's loop: watches pods, nodes, claims, volumes and classes; takes unassigned
// pods one at a time (upstream schedules serially too); binds those that fit, marks the
// others PodScheduled=False with a FailedScheduling event, and retries them when the
// cluster changes (after their backoff) or, failing that, after a long quiet period.

import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { objectKey, type DeletedFinalStateUnknown } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { runKeyedLoop } from '../keyed-loop.js';
import { DEFAULT_TIMINGS, backoffMs, type SchedulerTimings } from './backoff.js';
import type { ClusterView } from './cluster-view.js';
import { truncateMessage } from './fit-error.js';
import { unschedulableConditionPatch, type FailureReason } from './pod-condition.js';
import { schedulePod } from './schedule-pod.js';
import { planPending, writeVolumePlan } from './volume-writes.js';
import { SCHEDULER_NAME, needsScheduling, nodeChangeMatters, podChangeMatters } from './watch-filters.js';

const PODS = mustFindResource('', 'pods');
const NODES = mustFindResource('', 'nodes');
const PVCS = mustFindResource('', 'persistentvolumeclaims');
const PVS = mustFindResource('', 'persistentvolumes');
const STORAGE_CLASSES = mustFindResource('storage.k8s.io', 'storageclasses');
const NODE_NAME_INDEX = 'scheduler:spec.nodeName';

export interface SchedulerOptions extends Partial<SchedulerTimings> {
  log?: (message: string) => void;
}

/** What the scheduler remembers of a pod it has tried and not yet bound. */
interface PodState {
  uid: string;
  attempts: number;
  /** performance.now() of the last failed attempt. */
  lastFailure: number;
  /** performance.now() when the pod started waiting for its claims to bind. */
  waitingSince?: number;
}

function unwrap(o: KObject | DeletedFinalStateUnknown): KObject {
  const t = o as DeletedFinalStateUnknown;
  return typeof t.key === 'string' && t.obj !== undefined ? t.obj : (o as KObject);
}

/** Events name their object by kind, which cached list items may lack. */
function podRef(pod: KObject): KObject {
  return { ...pod, apiVersion: 'v1', kind: 'Pod' };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function startSchedulerWith(ctx: ControllerContext, opts: SchedulerOptions = {}): RunningController {
  const t: SchedulerTimings = {
    initialBackoffMs: opts.initialBackoffMs ?? DEFAULT_TIMINGS.initialBackoffMs,
    maxBackoffMs: opts.maxBackoffMs ?? DEFAULT_TIMINGS.maxBackoffMs,
    unschedulableFlushMs: opts.unschedulableFlushMs ?? DEFAULT_TIMINGS.unschedulableFlushMs,
    bindTimeoutMs: opts.bindTimeoutMs ?? DEFAULT_TIMINGS.bindTimeoutMs,
  };
  const log = opts.log ?? ((m: string) => process.stderr.write(`scheduler: ${m}\n`));
  const recorder = ctx.events.recorderFor(SCHEDULER_NAME);
  const pods = ctx.informers.forResource(PODS);
  const nodes = ctx.informers.forResource(NODES);
  const claims = ctx.informers.forResource(PVCS);
  const volumes = ctx.informers.forResource(PVS);
  const classes = ctx.informers.forResource(STORAGE_CLASSES);
  try {
    pods.addIndexer(NODE_NAME_INDEX, (p) => {
      const n = (p.spec as { nodeName?: unknown } | undefined)?.nodeName;
      return typeof n === 'string' && n ? [n] : [];
    });
  } catch {
    // A scheduler started earlier on the same informers registered the same index.
  }
  const queue = new WorkQueue<string>();
  const states = new Map<string, PodState>();

  const view: ClusterView = {
    nodes: () => nodes.lister.list(),
    claim: (ns, name) => claims.lister.get(`${ns}/${name}`),
    volume: (name) => volumes.lister.get(name),
    volumes: () => volumes.lister.list(),
    storageClass: (name) => classes.lister.get(name),
    podCount: (node) => pods.lister.byIndex(NODE_NAME_INDEX, node).length,
  };

  /** Queues a pod again once its backoff since the last failure has passed. */
  const requeue = (key: string) => {
    const st = states.get(key);
    const due = st && st.attempts ? st.lastFailure + backoffMs(st.attempts, t) - performance.now() : 0;
    queue.addAfter(key, Math.max(0, due));
  };
  const requeueAll = () => {
    for (const key of states.keys()) requeue(key);
  };

  pods.addEventHandler({
    onAdd: (p) => {
      if (needsScheduling(p)) queue.add(objectKey(p));
    },
    onUpdate: (old, p) => {
      const key = objectKey(p);
      if (!needsScheduling(p)) {
        states.delete(key);
        return;
      }
      if (!needsScheduling(old) || old.metadata.uid !== p.metadata.uid) queue.add(key);
      else if (podChangeMatters(old, p)) requeue(key);
    },
    onDelete: (o) => {
      states.delete(objectKey(unwrap(o)));
    },
  });
  nodes.addEventHandler({
    onAdd: requeueAll,
    onUpdate: (old, n) => {
      if (nodeChangeMatters(old, n)) requeueAll();
    },
  });
  for (const inf of [claims, volumes, classes]) inf.addEventHandler({ onAdd: requeueAll, onUpdate: requeueAll, onDelete: requeueAll });

  const fail = async (pod: KObject, st: PodState, reason: FailureReason, message: string) => {
    st.attempts++;
    st.lastFailure = performance.now();
    st.waitingSince = undefined;
    const text = truncateMessage(message);
    recorder.event(podRef(pod), 'Warning', 'FailedScheduling', text);
    const patch = unschedulableConditionPatch(pod, reason, message, ctx.now());
    if (patch) {
      try {
        await ctx.client.patch(PODS, pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', patch, { subresource: 'status' });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) log(`updating the PodScheduled condition of ${objectKey(pod)} failed: ${errorText(e)}`);
      }
    }
    queue.addAfter(objectKey(pod), t.unschedulableFlushMs);
  };

  const bind = async (pod: KObject, st: PodState, node: string) => {
    const key = objectKey(pod);
    try {
      await ctx.client.bind(pod.metadata.namespace ?? '', pod.metadata.name ?? '', node);
    } catch (e) {
      // Gone, already bound elsewhere, or being deleted: nothing left to schedule.
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) {
        states.delete(key);
        return;
      }
      await fail(pod, st, 'SchedulerError', `running Bind plugin "DefaultBinder": ${errorText(e)}`);
      return;
    }
    states.delete(key);
    recorder.event(podRef(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${node}`);
  };

  const sync = async (key: string) => {
    const pod = pods.lister.get(key);
    if (!pod || !needsScheduling(pod)) {
      states.delete(key);
      return;
    }
    let st = states.get(key);
    if (!st || st.uid !== pod.metadata.uid) {
      st = { uid: pod.metadata.uid ?? '', attempts: 0, lastFailure: 0 };
      states.set(key, st);
    }
    const outcome = schedulePod(pod, view);
    if (outcome.kind === 'unschedulable') return fail(pod, st, 'Unschedulable', outcome.message);
    if (outcome.kind === 'error') return fail(pod, st, 'SchedulerError', outcome.message);
    if (!planPending(outcome.plan)) return bind(pod, st, outcome.node);

    // Claims to bind first: make the writes, then wait for the PV controller; claim and
    // volume changes bring the pod back here, and it binds once every claim is bound.
    try {
      await writeVolumePlan(ctx.client, outcome.plan, outcome.node);
    } catch (e) {
      return fail(pod, st, 'SchedulerError', `running PreBind plugin "VolumeBinding": binding volumes: ${errorText(e)}`);
    }
    const now = performance.now();
    st.waitingSince ??= now;
    const left = st.waitingSince + t.bindTimeoutMs - now;
    if (left <= 0) return fail(pod, st, 'SchedulerError', 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    queue.addAfter(key, left);
  };

  // One worker; a success keeps the key's failure history (its backoff is the scheduler's own).
  return runKeyedLoop({
    ctx,
    queue,
    informers: [pods, nodes, claims, volumes, classes],
    sync,
    describe: (key) => `scheduling ${key}`,
    log,
    forgetOnSuccess: false,
  });
}
