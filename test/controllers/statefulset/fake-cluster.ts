// An in-memory cluster implementing the StatefulSet controller's ports, in the manner of
// upstream's fake object manager: it stores pods, claims, revisions and one set; records
// every write in order; lets tests drive pod phases and readiness, fail chosen calls, and
// advance a fake clock; and runs syncs the way upstream's unit tests loop over them.

import { clone, type KObject } from '../../../src/api/object.js';
import { StatusError } from '../../../src/api/errors.js';
import type { EventType, StatefulSetPorts } from '../../../src/controllers/statefulset/ports.js';
import { syncStatefulSet, type SyncHooks, type SyncResult } from '../../../src/controllers/statefulset/sync.js';
import { NS, newSet } from './set-fixture.js';

export { newSet, type SetOptions } from './set-fixture.js';
export { NS };

export type Op =
  | 'createPod' | 'updatePod' | 'deletePod'
  | 'createClaim' | 'updateClaim' | 'getClaim'
  | 'createRevision' | 'updateRevision' | 'deleteRevision' | 'listRevisions'
  | 'updateStatus';

export interface Write {
  op: Op;
  name: string;
}

export interface RecordedEvent {
  type: EventType;
  reason: string;
  message: string;
}

type Failure = (name: string) => StatusError | undefined;

export function internalError(msg = 'fake internal error'): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${msg}`);
}

const T0 = Date.parse('2025-06-01T00:00:00Z');

export class FakeCluster implements StatefulSetPorts {
  set: KObject;
  readonly pods = new Map<string, KObject>();
  readonly claims = new Map<string, KObject>();
  readonly revisions = new Map<string, KObject>();
  readonly writes: Write[] = [];
  readonly events: RecordedEvent[] = [];
  readonly calls = new Map<Op, number>();
  /** Pods created, in order (names repeat when a pod is recreated). */
  readonly created: string[] = [];
  /** Pods deleted (delete calls that succeeded), in order. */
  readonly deleted: string[] = [];
  /** With graceful deletion, a delete only sets deletionTimestamp; `reap()` removes. */
  graceful = false;
  maxUnavailableOption = false;
  /** The garbage collector: claims whose Pod/StatefulSet owners are all gone are deleted. */
  gc = true;
  /** Observers called just before a pod create/delete takes effect (property tests). */
  beforeCreate?: (pod: KObject) => void;
  beforeDelete?: (name: string) => void;
  clock = T0;
  inFlightCreates = 0;
  maxInFlightCreates = 0;
  batches: number[] = [];
  private readonly failures = new Map<Op, Failure[]>();
  private rv = 100;
  private uid = 0;

  constructor(set: KObject = newSet()) {
    this.set = clone(set);
  }

  // ---------------------------------------------------------------- test controls

  /** Fails the next `times` calls of `op` (optionally only for names passing `only`). */
  failNext(op: Op, err: StatusError = internalError(), times = 1, only?: (name: string) => boolean): void {
    let left = times;
    this.onCall(op, (name) => {
      if (left <= 0 || (only && !only(name))) return undefined;
      left--;
      return err;
    });
  }

  /** Installs a failure rule for op; it returns the error to throw, or undefined. */
  onCall(op: Op, f: Failure): void {
    const list = this.failures.get(op) ?? [];
    list.push(f);
    this.failures.set(op, list);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  advance(seconds: number): void {
    this.clock += seconds * 1000;
  }

  iso(ms = this.clock): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  pod(name: string): KObject {
    const p = this.pods.get(name);
    if (!p) throw new Error(`no pod ${name}`);
    return p;
  }

  podNames(): string[] {
    return [...this.pods.keys()].sort((a, b) => ordinal(a) - ordinal(b));
  }

  setPhase(name: string, phase: string): void {
    const p = this.pod(name);
    p.status = { ...(p.status as object), phase };
    this.touch(p);
  }

  /** Running and Ready, Ready since `secondsAgo` seconds before now. */
  makeReady(name: string, secondsAgo = 3600): void {
    const p = this.pod(name);
    p.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: this.iso(this.clock - secondsAgo * 1000) }],
    };
    this.touch(p);
  }

  makeNotReady(name: string): void {
    const p = this.pod(name);
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: this.iso() }] };
    this.touch(p);
  }

  /** Marks the pod terminating (as a graceful delete by someone else would). */
  markTerminating(name: string): void {
    const p = this.pod(name);
    p.metadata.deletionTimestamp = this.iso();
    this.touch(p);
  }

  /** Removes the pod object (deletion completed), letting the GC act on its claims. */
  removePod(name: string): void {
    this.pods.delete(name);
    this.collectGarbage();
  }

  /** Completes every graceful deletion. */
  reap(): void {
    for (const [name, p] of [...this.pods]) if (p.metadata.deletionTimestamp) this.pods.delete(name);
    this.collectGarbage();
  }

  /** Deletes claims all of whose Pod/StatefulSet owners are gone (the garbage collector). */
  collectGarbage(): void {
    if (!this.gc) return;
    const live = new Set<string>([this.set.metadata.uid ?? '', ...[...this.pods.values()].map((p) => p.metadata.uid ?? '')]);
    for (const [name, c] of [...this.claims]) {
      const refs = (c.metadata.ownerReferences ?? []).filter((r) => r.kind === 'Pod' || r.kind === 'StatefulSet');
      if (refs.length > 0 && refs.every((r) => !live.has(r.uid)) && (c.metadata.ownerReferences ?? []).length === refs.length) {
        // A finalizer holds the object: it only becomes terminating.
        if ((c.metadata.finalizers ?? []).length > 0) c.metadata.deletionTimestamp ??= this.iso();
        else this.claims.delete(name);
      }
    }
  }

  /** Deletes the set (GC cascade of claims it owns follows via collectGarbage). */
  deleteSetObject(): void {
    this.set = { ...this.set, metadata: { ...this.set.metadata, uid: 'gone' } };
  }

  /** Changes the spec as a user would (generation bumps). */
  updateSpec(mutate: (spec: Record<string, any>) => void): void {
    const s = clone(this.set);
    mutate(s.spec as Record<string, any>);
    s.metadata.generation = (s.metadata.generation ?? 1) + 1;
    this.touch(s);
    this.set = s;
  }

  setImage(image: string): void {
    this.updateSpec((s) => { s.template.spec.containers[0].image = image; });
  }

  scale(replicas: number): void {
    this.updateSpec((s) => { s.replicas = replicas; });
  }

  /** The pods the plumbing would hand the sync: those the set controls. */
  ownedPods(): KObject[] {
    const uid = this.set.metadata.uid;
    return [...this.pods.values()].filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid)).map(clone);
  }

  async sync(hooks: SyncHooks = {}): Promise<SyncResult> {
    return syncStatefulSet(clone(this.set), this.ownedPods(), this, { maxUnavailable: this.maxUnavailableOption }, {
      onBatch: (n) => { this.batches.push(n); hooks.onBatch?.(n); },
    });
  }

  /** One sync, errors returned instead of thrown. */
  async trySync(): Promise<unknown> {
    try {
      await this.sync();
      return undefined;
    } catch (err) {
      return err;
    }
  }

  /** Marks every Pending pod Running+Ready (ready long ago unless given). */
  readyAll(secondsAgo = 3600): void {
    for (const [name, p] of this.pods) {
      if (p.metadata.deletionTimestamp) continue;
      const phase = (p.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Pending' || (phase === 'Running' && !isReady(p))) this.makeReady(name, secondsAgo);
    }
  }

  /**
   * upstream's scaleUpStatefulSetControl/scaleDown loops: sync, then bring new pods to
   * Running+Ready and complete deletions, until the set is settled or the limit is hit.
   */
  async converge(maxSyncs = 200, readySecondsAgo = 3600): Promise<void> {
    for (let i = 0; i < maxSyncs; i++) {
      const before = this.writes.length;
      await this.sync();
      this.reap();
      this.readyAll(readySecondsAgo);
      if (this.writes.length === before && this.settled()) return;
    }
    throw new Error(`did not converge in ${maxSyncs} syncs; pods ${this.podNames().join(',')}`);
  }

  settled(): boolean {
    const s = this.set.status as Record<string, number | undefined>;
    const want = (this.set.spec as { replicas: number }).replicas;
    return this.pods.size === want && [...this.pods.values()].every(isReady) &&
      (s.readyReplicas ?? 0) === want && (s.replicas ?? 0) === want;
  }

  status(): Record<string, any> {
    return this.set.status as Record<string, any>;
  }

  writesOf(op: Op): string[] {
    return this.writes.filter((w) => w.op === op).map((w) => w.name);
  }

  // ---------------------------------------------------------------- ports

  now(): Date {
    return new Date(this.clock);
  }

  recordEvent(_obj: KObject, type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  async getClaim(_ns: string, name: string): Promise<KObject | undefined> {
    await this.enter('getClaim', name);
    const c = this.claims.get(name);
    return c ? clone(c) : undefined;
  }

  async getPod(_ns: string, name: string): Promise<KObject | undefined> {
    const p = this.pods.get(name);
    return p ? clone(p) : undefined;
  }

  async getStatefulSet(_ns: string, name: string): Promise<KObject | undefined> {
    return name === this.set.metadata.name ? clone(this.set) : undefined;
  }

  async listRevisions(set: KObject): Promise<KObject[]> {
    await this.enter('listRevisions', set.metadata.name ?? '');
    return [...this.revisions.values()]
      .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === set.metadata.uid))
      .map(clone);
  }

  async getRevisionLive(_ns: string, name: string): Promise<KObject | undefined> {
    const r = this.revisions.get(name);
    return r ? clone(r) : undefined;
  }

  async createPod(_ns: string, pod: KObject): Promise<KObject> {
    this.inFlightCreates++;
    this.maxInFlightCreates = Math.max(this.maxInFlightCreates, this.inFlightCreates);
    try {
      await new Promise((r) => setImmediate(r));
      const name = pod.metadata.name ?? '';
      this.fail('createPod', name);
      if (this.pods.has(name)) throw new StatusError(409, 'AlreadyExists', `pods "${name}" already exists`);
      this.beforeCreate?.(pod);
      const stored = clone(pod);
      stored.metadata.uid = `uid-pod-${name}-${++this.uid}`;
      stored.metadata.creationTimestamp = this.iso();
      delete stored.metadata.generateName;
      stored.status = { phase: 'Pending' };
      this.touch(stored);
      this.pods.set(name, stored);
      this.record('createPod', name);
      this.created.push(name);
      return clone(stored);
    } finally {
      this.inFlightCreates--;
    }
  }

  async updatePod(pod: KObject): Promise<KObject> {
    const name = pod.metadata.name ?? '';
    await this.enter('updatePod', name);
    const cur = this.pods.get(name);
    if (!cur) throw new StatusError(404, 'NotFound', `pods "${name}" not found`);
    if (pod.metadata.resourceVersion && pod.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const stored = clone(pod);
    stored.status = cur.status;
    this.touch(stored);
    this.pods.set(name, stored);
    this.record('updatePod', name);
    return clone(stored);
  }

  async deletePod(_ns: string, name: string): Promise<void> {
    await this.enter('deletePod', name);
    const cur = this.pods.get(name);
    if (!cur) throw new StatusError(404, 'NotFound', `pods "${name}" not found`);
    this.beforeDelete?.(name);
    if (this.graceful) {
      if (!cur.metadata.deletionTimestamp) {
        cur.metadata.deletionTimestamp = this.iso();
        this.touch(cur);
      }
    } else {
      this.pods.delete(name);
      this.collectGarbage();
    }
    this.record('deletePod', name);
    this.deleted.push(name);
  }

  async createClaim(_ns: string, claim: KObject): Promise<KObject> {
    const name = claim.metadata.name ?? '';
    await this.enter('createClaim', name);
    if (this.claims.has(name)) throw new StatusError(409, 'AlreadyExists', `persistentvolumeclaims "${name}" already exists`);
    const stored = clone(claim);
    stored.metadata.uid = `uid-pvc-${name}-${++this.uid}`;
    stored.metadata.creationTimestamp = this.iso();
    this.touch(stored);
    this.claims.set(name, stored);
    this.record('createClaim', name);
    return clone(stored);
  }

  async updateClaim(claim: KObject): Promise<KObject> {
    const name = claim.metadata.name ?? '';
    await this.enter('updateClaim', name);
    const cur = this.claims.get(name);
    if (!cur) throw new StatusError(404, 'NotFound', `persistentvolumeclaims "${name}" not found`);
    if (claim.metadata.resourceVersion && claim.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on persistentvolumeclaims "${name}"`);
    }
    const stored = clone(claim);
    this.touch(stored);
    this.claims.set(name, stored);
    this.record('updateClaim', name);
    return clone(stored);
  }

  async createRevision(_ns: string, revision: KObject): Promise<KObject> {
    const name = revision.metadata.name ?? '';
    await this.enter('createRevision', name);
    if (this.revisions.has(name)) throw new StatusError(409, 'AlreadyExists', `controllerrevisions.apps "${name}" already exists`);
    const stored = clone(revision);
    stored.metadata.uid = `uid-rev-${name}`;
    stored.metadata.creationTimestamp = this.iso();
    this.touch(stored);
    this.revisions.set(name, stored);
    this.record('createRevision', name);
    return clone(stored);
  }

  async updateRevision(revision: KObject): Promise<KObject> {
    const name = revision.metadata.name ?? '';
    await this.enter('updateRevision', name);
    const cur = this.revisions.get(name);
    if (!cur) throw new StatusError(404, 'NotFound', `controllerrevisions.apps "${name}" not found`);
    const stored = clone(revision);
    this.touch(stored);
    this.revisions.set(name, stored);
    this.record('updateRevision', name);
    return clone(stored);
  }

  async deleteRevision(_ns: string, name: string): Promise<void> {
    await this.enter('deleteRevision', name);
    if (!this.revisions.delete(name)) throw new StatusError(404, 'NotFound', `controllerrevisions.apps "${name}" not found`);
    this.record('deleteRevision', name);
  }

  async updateStatus(set: KObject): Promise<KObject> {
    const name = set.metadata.name ?? '';
    await this.enter('updateStatus', name);
    if (set.metadata.resourceVersion && set.metadata.resourceVersion !== this.set.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on statefulsets.apps "${name}"`);
    }
    const stored = clone(this.set);
    stored.status = clone(set.status);
    this.touch(stored);
    this.set = stored;
    this.record('updateStatus', name);
    return clone(stored);
  }

  // ---------------------------------------------------------------- internals

  private async enter(op: Op, name: string): Promise<void> {
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    this.fail(op, name);
  }

  private fail(op: Op, name: string): void {
    if (op === 'createPod') this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    for (const f of this.failures.get(op) ?? []) {
      const err = f(name);
      if (err) throw err;
    }
  }

  private record(op: Op, name: string): void {
    this.writes.push({ op, name });
  }

  private touch(o: KObject): void {
    o.metadata.resourceVersion = String(++this.rv);
  }
}

export function ordinal(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : -1;
}

export function isReady(p: KObject): boolean {
  const s = p.status as { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
  return s?.phase === 'Running' && !!s.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp;
}

export function revisionOf(p: KObject): string {
  return p.metadata.labels?.['controller-revision-hash'] ?? '';
}

export function imageOf(p: KObject): string {
  return (p.spec as { containers: { image: string }[] }).containers[0]!.image;
}
