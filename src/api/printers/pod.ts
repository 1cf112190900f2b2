// Pod rows as the apiserver prints them: the STATUS cell condenses phase, init progress,
// container waiting/terminated reasons and deletion into one word.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, wide, type Printer, type PrintedRow, type RowCondition } from './columns.js';
import { arr, at, num, obj, str } from './fields.js';
import { parseTimestamp, timestampSince } from './human-duration.js';

const NODE_UNREACHABLE_REASON = 'NodeLost';
const SCHEDULING_GATED = 'SchedulingGated';

const columns = [
  nameColumn(),
  column('Ready', 'Ready containers out of all containers of the pod.'),
  column('Status', 'Summary of the pod phase and its containers\' states.'),
  column('Restarts', 'Container restarts, with the time since the most recent one.'),
  ageColumn(),
  wide('IP', 'The pod\'s primary IP address.'),
  wide('Node', 'The node the pod is bound to.'),
  wide('Nominated Node', 'The node the scheduler nominated for preemption, if any.'),
  wide('Readiness Gates', 'Readiness gates whose condition is True, out of all gates.'),
];

const SUCCEEDED: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function terminatedReason(term: Record<string, unknown>, prefix: string): string {
  const reason = str(term.reason);
  if (reason !== '') return prefix + reason;
  const signal = num(term.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(term.exitCode)}`;
}

function conditionTrue(conditions: unknown[], type: string): boolean {
  return conditions.some((c) => str(obj(c).type) === type && str(obj(c).status) === 'True');
}

/** Tracks the newest lastState.terminated.finishedAt seen, for "N (5m ago)". */
function laterRestart(current: number | undefined, status: unknown): number | undefined {
  const finished = parseTimestamp(at(status, 'lastState', 'terminated', 'finishedAt'));
  if (finished === undefined) return current;
  return current === undefined || finished > current ? finished : current;
}

export function podStatusCells(pod: KObject, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const conditions = arr(status.conditions);
  const initContainers = arr(spec.initContainers).map(obj);
  const phase = str(status.phase);

  let reason = str(status.reason) !== '' ? str(status.reason) : phase;
  for (const c of conditions) {
    const co = obj(c);
    if (str(co.type) === 'PodScheduled' && str(co.reason) === SCHEDULING_GATED) reason = SCHEDULING_GATED;
  }

  const restartable = new Set(initContainers.filter((c) => str(c.restartPolicy) === 'Always').map((c) => str(c.name)));
  const total = arr(spec.containers).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += num(cs.restartCount);
    lastRestart = laterRestart(lastRestart, cs);
    const isSidecar = restartable.has(str(cs.name));
    if (isSidecar) {
      sidecarRestarts += num(cs.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, cs);
    }
    const terminated = at(cs, 'state', 'terminated');
    const waiting = at(cs, 'state', 'waiting');
    if (terminated !== undefined && num(obj(terminated).exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      reason = terminatedReason(obj(terminated), 'Init:');
    } else if (waiting !== undefined && str(obj(waiting).reason) !== '' && str(obj(waiting).reason) !== 'PodInitializing') {
      reason = 'Init:' + str(obj(waiting).reason);
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(obj);
    // Walked backwards so the first container's reason wins, as upstream.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += num(cs.restartCount);
      lastRestart = laterRestart(lastRestart, cs);
      const waiting = at(cs, 'state', 'waiting');
      const terminated = at(cs, 'state', 'terminated');
      if (waiting !== undefined && str(obj(waiting).reason) !== '') {
        reason = str(obj(waiting).reason);
      } else if (terminated !== undefined) {
        reason = terminatedReason(obj(terminated), '');
      } else if (cs.ready === true && at(cs, 'state', 'running') !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && str(status.reason) === NODE_UNREACHABLE_REASON) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsCell = `${restarts} (${timestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
  }
  return { ready: `${ready}/${total}`, reason, restarts: restartsCell };
}

function readinessGates(pod: KObject): string {
  const gates = arr(obj(pod.spec).readinessGates).map(obj);
  if (gates.length === 0) return '<none>';
  const conditions = arr(obj(pod.status).conditions).map(obj);
  let trueCount = 0;
  for (const g of gates) {
    const c = conditions.find((x) => str(x.type) === str(g.conditionType));
    if (c && str(c.status) === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

function podIP(pod: KObject): string {
  const status = obj(pod.status);
  const ips = arr(status.podIPs);
  const ip = ips.length > 0 ? str(obj(ips[0]).ip) : str(status.podIP);
  return ip === '' ? '<none>' : ip;
}

function printPod(pod: KObject, now: Date): PrintedRow {
  const { ready, reason, restarts } = podStatusCells(pod, now);
  const nodeName = str(obj(pod.spec).nodeName) || '<none>';
  const nominated = str(obj(pod.status).nominatedNodeName) || '<none>';
  const row: PrintedRow = {
    cells: [nameOf(pod), ready, reason, restarts, age(pod, now), podIP(pod), nodeName, nominated, readinessGates(pod)],
  };
  const phase = str(obj(pod.status).phase);
  if (phase === 'Succeeded') row.conditions = SUCCEEDED;
  if (phase === 'Failed') row.conditions = FAILED;
  return row;
}

export const podPrinter: Printer = { columns, print: printPod };
