// The seam between the StatefulSet decision logic (sync.ts and friends) and the cluster.
// Modelled on upstream's StatefulPodControlObjectManager, ControllerHistory and
// StatefulSetStatusUpdater: the algorithm reads only what it is handed plus these cache
// reads, and every write goes through one of these methods. The plumbing implements them
// over the real Client and informers (ports-client.ts); tests implement them in memory.
//
// Conventions:
// - Reads come from informer caches (listers), as upstream's do; they resolve to
//   undefined when the object is absent and reject only on a real failure.
// - Writes reject with a StatusError carrying the server's code/reason (AlreadyExists,
//   Conflict, NotFound, …); the algorithm decides what each means. They resolve to the
//   object as the server returned it.
// - Objects passed to writes are fresh copies the callee may keep.

import type { KObject } from '../../api/object.js';

export type EventType = 'Normal' | 'Warning';

export interface StatefulSetPorts {
  // ---- cache reads ----
  /** A PersistentVolumeClaim from the PVC informer cache. */
  getClaim(namespace: string, name: string): Promise<KObject | undefined>;
  /** A Pod from the pod informer cache (used to re-read after an update Conflict). */
  getPod(namespace: string, name: string): Promise<KObject | undefined>;
  /** The StatefulSet from the cache (used to re-read after a status-update Conflict). */
  getStatefulSet(namespace: string, name: string): Promise<KObject | undefined>;
  /**
   * The set's ControllerRevisions: those in its namespace matching its selector that it
   * controls or that have no controller (upstream ListControllerRevisions; the plumbing
   * adopts orphans before the sync).
   */
  listRevisions(set: KObject): Promise<KObject[]>;
  /** Uncached GET of a ControllerRevision (collision check after AlreadyExists). */
  getRevisionLive(namespace: string, name: string): Promise<KObject | undefined>;

  // ---- raw writes ----
  createPod(namespace: string, pod: KObject): Promise<KObject>;
  /** PUT; pod.metadata.resourceVersion is the precondition. */
  updatePod(pod: KObject): Promise<KObject>;
  deletePod(namespace: string, name: string): Promise<void>;

  createClaim(namespace: string, claim: KObject): Promise<KObject>;
  /** PUT; claim.metadata.resourceVersion is the precondition (ownerReference changes). */
  updateClaim(claim: KObject): Promise<KObject>;

  createRevision(namespace: string, revision: KObject): Promise<KObject>;
  /** PUT; only metadata and `revision` change on a ControllerRevision. */
  updateRevision(revision: KObject): Promise<KObject>;
  deleteRevision(namespace: string, name: string): Promise<void>;

  /** PUT statefulsets/{name}/status with `set` carrying the new status (whole status replaced). */
  updateStatus(set: KObject): Promise<KObject>;

  // ---- side channels ----
  /** Records a core/v1 Event about obj under the component `statefulset-controller`. */
  recordEvent(obj: KObject, type: EventType, reason: string, message: string): void;
  now(): Date;
}

export interface SyncOptions {
  /** Upstream's MaxUnavailableStatefulSet gate (off by default, as in 1.33). */
  maxUnavailable: boolean;
}

export interface SyncResult {
  /**
   * Re-run the sync after this delay (minReadySeconds: a Ready pod becomes available
   * later with no event to wake the controller). Undefined when nothing is pending.
   */
  requeueAfterMs?: number;
}
