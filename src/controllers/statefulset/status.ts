// StatefulSet status: counting pods into it (computeReplicaStatus), completing a rollout,
// deciding whether it changed, and writing it (upstream stateful_set_control.go,
// stateful_set_utils.go and stateful_set_status_updater.go).

import { clone, type KObject } from '../../api/object.js';
import type { StatefulSetPorts } from './ports.js';
import { isConflict } from './errors.js';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-health.js';
import { podRevision } from './pod-identity.js';
import { nameOf, namespaceOf, replicasOf, statusOf, type StatefulSetStatus } from './spec.js';

/** The status the controller computes: every field it owns, always present. */
export interface ComputedStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

export function newStatus(observedGeneration: number, currentRevision: string, updateRevision: string, collisionCount: number): ComputedStatus {
  return { observedGeneration, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0, currentRevision, updateRevision, collisionCount };
}

/**
 * Recounts the replica fields over the given pod lists: created pods (terminating and
 * condemned included), Running+Ready, available, and — among created, non-terminating
 * pods — those labelled with the current and update revisions.
 */
export function countPods(status: ComputedStatus, minReadySeconds: number, now: Date, currentRevision: string, updateRevision: string, ...lists: KObject[][]): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const list of lists) {
    for (const pod of list) {
      const created = isCreated(pod);
      if (created) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
      }
      if (created && !isTerminating(pod)) {
        const rev = podRevision(pod);
        if (rev === currentRevision) status.currentReplicas++;
        if (rev === updateRevision) status.updatedReplicas++;
      }
    }
  }
}

/**
 * A rollout is complete when every desired replica exists, is Ready and is on the update
 * revision: the update revision becomes current. Applies to OnDelete too (#136833).
 */
export function completeRollingUpdate(set: KObject, status: ComputedStatus): void {
  const want = replicasOf(set);
  if (status.updatedReplicas === want && status.readyReplicas === want && status.replicas === want) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Whether `status` differs from what the set carries in the fields that warrant a write. */
export function inconsistentStatus(set: KObject, status: ComputedStatus): boolean {
  const s = statusOf(set);
  return status.observedGeneration > (s.observedGeneration ?? 0) ||
    status.replicas !== (s.replicas ?? 0) ||
    status.currentReplicas !== (s.currentReplicas ?? 0) ||
    status.readyReplicas !== (s.readyReplicas ?? 0) ||
    status.updatedReplicas !== (s.updatedReplicas ?? 0) ||
    status.currentRevision !== (s.currentRevision ?? '') ||
    status.availableReplicas !== (s.availableReplicas ?? 0) ||
    status.updateRevision !== (s.updateRevision ?? '');
}

/**
 * The status as apps/v1 serialises it: zero counts and empty strings omitted (omitempty),
 * except replicas and availableReplicas; collisionCount always (a pointer the controller
 * always sets). The whole status is replaced, so conditions are dropped, as upstream.
 */
export function toApiStatus(status: ComputedStatus): StatefulSetStatus {
  const out: StatefulSetStatus = {};
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  out.replicas = status.replicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.currentReplicas) out.currentReplicas = status.currentReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.currentRevision) out.currentRevision = status.currentRevision;
  if (status.updateRevision) out.updateRevision = status.updateRevision;
  out.collisionCount = status.collisionCount;
  out.availableReplicas = status.availableReplicas;
  return out;
}

// client-go retry.DefaultRetry: 5 attempts.
const STATUS_ATTEMPTS = 5;

/** PUT the status, re-reading the set from the cache after each Conflict. */
export async function writeStatus(ports: StatefulSetPorts, set: KObject, status: ComputedStatus): Promise<void> {
  let target = clone(set);
  let lastErr: unknown;
  for (let attempt = 0; attempt < STATUS_ATTEMPTS; attempt++) {
    target.status = toApiStatus(status);
    try {
      await ports.updateStatus(target);
      return;
    } catch (err) {
      lastErr = err;
      const fresh = await ports.getStatefulSet(namespaceOf(set), nameOf(set)).catch(() => undefined);
      if (fresh) target = clone(fresh);
      if (!isConflict(err)) break;
    }
  }
  throw lastErr;
}

/** completeRollingUpdate, then write only when something changed. */
export async function updateStatefulSetStatus(ports: StatefulSetPorts, set: KObject, status: ComputedStatus): Promise<void> {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return;
  await writeStatus(ports, set, status);
}
