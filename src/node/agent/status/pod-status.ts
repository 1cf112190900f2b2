// The whole pod status the agent writes, from what its worker knows: phase (getPhase), the
// kubelet's conditions, addresses, start time, and per-container statuses. Fields other
// components own (qosClass, PodScheduled, nominatedNodeName, resize, …) are carried over.

import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import type { ContainerRecord } from '../container-record.js';
import { containerStatus, timestamp } from './container-status.js';
import { podConditions } from './pod-conditions.js';
import { podPhase, type PodPhase } from './pod-phase.js';

type J = JsonObject;
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export interface WorkerView {
  podIP?: string;
  hostIP: string;
  sandboxReady: boolean;
  records: Map<string, ContainerRecord>;
  /** Pod rejected by the node (admission): phase Failed with this reason and message. */
  rejected?: { reason: string; message: string };
  /** The pod is being torn down for good: a stopped pod is Succeeded or Failed by exit codes. */
  terminal: boolean;
  containerIdScheme: string;
  now: Date;
}

export function buildPodStatus(pod: KObject, view: WorkerView): J {
  const old = isPlainObject(pod.status) ? pod.status : {};
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const now = timestamp(view.now);
  const status: J = { ...old };
  if (view.rejected) {
    status.phase = 'Failed';
    status.reason = view.rejected.reason;
    status.message = view.rejected.message;
    status.startTime = old.startTime ?? now;
    status.hostIP = view.hostIP;
    status.hostIPs = [{ ip: view.hostIP }];
    return status;
  }
  const inits = objects(spec.initContainers);
  const mains = objects(spec.containers);
  const defaultWaiting = inits.length ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = inits.map((c) => containerStatus(c, view.records.get(`init:${c.name}`), defaultWaiting, view.containerIdScheme));
  const statuses = mains.map((c) => containerStatus(c, view.records.get(`main:${c.name}`), defaultWaiting, view.containerIdScheme));
  const oldPhase = typeof old.phase === 'string' ? (old.phase as PodPhase) : 'Pending';
  // A terminal phase is never left (upstream refuses the transition).
  const phase = oldPhase === 'Succeeded' || oldPhase === 'Failed' ? oldPhase : podPhase(spec, initStatuses, statuses, view.terminal);
  status.phase = phase;
  status.conditions = podConditions({ spec, phase, sandboxReady: view.sandboxReady, initStatuses, statuses, existing: objects(old.conditions), now });
  status.hostIP = view.hostIP;
  status.hostIPs = [{ ip: view.hostIP }];
  if (view.podIP) {
    status.podIP = view.podIP;
    status.podIPs = [{ ip: view.podIP }];
  }
  status.startTime = old.startTime ?? now;
  if (inits.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  return status;
}
