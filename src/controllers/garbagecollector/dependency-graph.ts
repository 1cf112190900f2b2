// The ownership graph, as upstream's GraphBuilder keeps it: one node per uid, holding the
// object's identity, its ownerReferences and the uids of its dependents. Owners that have not
// been observed yet are "virtual" nodes, created from a dependent's reference and verified
// against the API server by the delete worker. The graph never talks to the cluster: each
// change returns its consequences through the sink (work to queue, owners proven absent).
// It is written from one place at a time (informer handlers and the workers' virtual delete
// events all run on the one JS thread), which is what upstream's single graph worker ensures.

import type { KObject, OwnerReference } from '../../api/object.js';
import {
  beingDeleted,
  deletionStartsWith,
  diffOwnerReferences,
  FOREGROUND_FINALIZER,
  hasFinalizer,
  identityFromReference,
  identityLess,
  isBlocking,
  ORPHAN_FINALIZER,
  referenceMatches,
  sameIdentity,
  type ObjectIdentity,
} from './object-identity.js';

export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  /** uids of the nodes whose ownerReferences name this node. */
  dependents: Set<string>;
  /** Known only from a dependent's reference, never seen through an informer. */
  virtual: boolean;
  /** deletionTimestamp seen: a one-way trip to the final deletion. */
  beingDeleted: boolean;
  /** Deleting with the foregroundDeletion finalizer: dependents go first. */
  deletingDependents: boolean;
}

export interface GraphSink {
  attemptToDelete(uid: string): void;
  attemptToDeleteRateLimited(uid: string): void;
  attemptToOrphan(uid: string): void;
  ownerAbsent(owner: ObjectIdentity): void;
  /** A dependent names an owner that exists in another namespace (upstream's OwnerRefInvalidNamespace). */
  invalidNamespaceOwnerRef(dependent: GraphNode, ownerUid: string): void;
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly sink: GraphSink) {}

  get size(): number {
    return this.nodes.size;
  }

  node(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  dependentsOf(n: GraphNode): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of n.dependents) {
      const dep = this.nodes.get(uid);
      if (dep) out.push(dep);
    }
    return out;
  }

  /** Dependents whose reference to `n` has blockOwnerDeletion: true. */
  blockingDependents(n: GraphNode): GraphNode[] {
    return this.dependentsOf(n).filter((dep) => dep.owners.some((ref) => ref.uid === n.identity.uid && isBlocking(ref)));
  }

  /** An add or update from an informer; `oldObj` is the previous state for updates. */
  observe(id: ObjectIdentity, obj: KObject, oldObj?: KObject): void {
    let existing = this.nodes.get(id.uid);
    if (existing && existing.virtual) existing = this.replaceVirtual(existing, id);
    const owners = obj.metadata.ownerReferences ?? [];
    if (!existing) {
      const n: GraphNode = {
        identity: id,
        owners: [...owners],
        dependents: new Set(),
        virtual: false,
        beingDeleted: beingDeleted(obj),
        deletingDependents: beingDeleted(obj) && hasFinalizer(obj, FOREGROUND_FINALIZER),
      };
      this.nodes.set(id.uid, n);
      this.addDependentToOwners(n, n.owners);
      // The informer may fold a create and the start of a deletion into one event.
      this.processTransitions(oldObj, obj, n);
      return;
    }
    if (existing.identity.apiVersion !== id.apiVersion || existing.identity.kind !== id.kind) {
      existing.identity = { ...existing.identity, apiVersion: id.apiVersion, kind: id.kind };
    }
    const diff = diffOwnerReferences(existing.owners, owners);
    if (diff.added.length || diff.removed.length || diff.changed.length) {
      this.queueUnblockedOwners(diff.removed, diff.changed);
      existing.owners = [...owners];
      this.addDependentToOwners(existing, diff.added);
      this.removeDependentFromOwners(existing, diff.removed);
    }
    if (beingDeleted(obj)) existing.beingDeleted = true;
    this.processTransitions(oldObj, obj, existing);
  }

  /** A deletion seen by an informer. */
  observeDeletion(id: ObjectIdentity): void {
    const existing = this.nodes.get(id.uid);
    if (!existing) return;
    this.removeAndRequeue(existing, id);
  }

  /**
   * The delete worker proved that `id` does not exist (404 or another uid under the name).
   * A virtual node whose dependents disagree about its coordinates survives under another
   * identity; an observed node survives a virtual event that names other coordinates.
   */
  virtualDelete(id: ObjectIdentity): void {
    const existing = this.nodes.get(id.uid);
    if (!existing) return;
    if (existing.virtual) {
      const { matching, nonmatching } = this.partitionDependents(this.dependentsOf(existing), id);
      if (nonmatching.length > 0) {
        if (matching.length > 0) {
          this.sink.ownerAbsent(id);
          for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
        }
        if (sameIdentity(existing.identity, id)) {
          const alternate = alternateOwnerIdentity(nonmatching, id);
          if (alternate) {
            existing.identity = alternate;
            this.sink.attemptToDeleteRateLimited(existing.identity.uid);
          }
        }
        return;
      }
    } else if (!sameIdentity(existing.identity, id)) {
      const { matching } = this.partitionDependents(this.dependentsOf(existing), id);
      if (matching.length > 0) {
        this.sink.ownerAbsent(id);
        for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
      }
      return;
    }
    this.removeAndRequeue(existing, id);
  }

  private removeAndRequeue(n: GraphNode, deletedAs: ObjectIdentity): void {
    this.nodes.delete(n.identity.uid);
    this.removeDependentFromOwners(n, n.owners);
    const dependents = this.dependentsOf(n);
    if (dependents.length > 0) this.sink.ownerAbsent(deletedAs);
    for (const dep of dependents) this.sink.attemptToDelete(dep.identity.uid);
    // An owner deleting in the foreground may now have no blocking dependents left.
    for (const ref of n.owners) {
      const owner = this.nodes.get(ref.uid);
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner.identity.uid);
    }
  }

  /** First sight of an object that was only known as a reference. */
  private replaceVirtual(existing: GraphNode, observed: ObjectIdentity): GraphNode {
    if (!sameIdentity(existing.identity, observed)) {
      // Dependents that named other coordinates may be pointing at nothing: let the worker judge.
      const { nonmatching } = this.partitionDependents(this.dependentsOf(existing), observed);
      for (const dep of nonmatching) {
        if (observed.namespace && dep.identity.namespace !== observed.namespace) this.sink.invalidNamespaceOwnerRef(dep, observed.uid);
        this.sink.attemptToDelete(dep.identity.uid);
      }
      existing.identity = observed;
    }
    existing.virtual = false;
    return existing;
  }

  private addDependentToOwners(n: GraphNode, refs: readonly OwnerReference[]): void {
    let suspicious = false;
    for (const ref of refs) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        owner = {
          identity: identityFromReference(ref, n.identity.namespace),
          owners: [],
          dependents: new Set(),
          virtual: true,
          beingDeleted: false,
          deletingDependents: false,
        };
        this.nodes.set(ref.uid, owner);
        owner.dependents.add(n.identity.uid);
        // The worker asks the API server whether this owner exists.
        this.sink.attemptToDelete(owner.identity.uid);
        continue;
      }
      owner.dependents.add(n.identity.uid);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== n.identity.namespace) {
        if (!owner.virtual) this.sink.invalidNamespaceOwnerRef(n, ref.uid);
        suspicious = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        suspicious = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== n.identity.namespace && owner.virtual) {
        // A virtual cluster-scoped guess may really be a missing namespaced owner.
        suspicious = true;
      }
    }
    if (suspicious) this.sink.attemptToDelete(n.identity.uid);
  }

  private removeDependentFromOwners(n: GraphNode, refs: readonly OwnerReference[]): void {
    for (const ref of refs) this.nodes.get(ref.uid)?.dependents.delete(n.identity.uid);
  }

  /** A blocking reference that went away (or stopped blocking) may release an owner. */
  private queueUnblockedOwners(removed: OwnerReference[], changed: { oldRef: OwnerReference; newRef: OwnerReference }[]): void {
    for (const ref of removed) {
      if (isBlocking(ref) && this.nodes.has(ref.uid)) this.sink.attemptToDelete(ref.uid);
    }
    for (const { oldRef, newRef } of changed) {
      if (isBlocking(oldRef) && !isBlocking(newRef) && this.nodes.has(newRef.uid)) this.sink.attemptToDelete(newRef.uid);
    }
  }

  private processTransitions(oldObj: KObject | undefined, obj: KObject, n: GraphNode): void {
    if (deletionStartsWith(oldObj, obj, ORPHAN_FINALIZER)) {
      this.sink.attemptToOrphan(n.identity.uid);
      return;
    }
    if (deletionStartsWith(oldObj, obj, FOREGROUND_FINALIZER)) {
      n.deletingDependents = true;
      for (const dep of this.dependentsOf(n)) this.sink.attemptToDelete(dep.identity.uid);
      this.sink.attemptToDelete(n.identity.uid);
    }
  }

  /**
   * Splits dependents by whether their reference to `owner.uid` names exactly `owner`. One
   * dependent with two references to the uid can land on both sides.
   */
  private partitionDependents(deps: GraphNode[], owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
    const matching: GraphNode[] = [];
    const nonmatching: GraphNode[] = [];
    for (const dep of deps) {
      let match = false;
      let mismatch = false;
      if (owner.namespace !== '' && owner.namespace !== dep.identity.namespace) {
        mismatch = true;
      } else {
        for (const ref of dep.owners) {
          if (ref.uid !== owner.uid) continue;
          if (referenceMatches(ref, owner)) match = true;
          else mismatch = true;
        }
      }
      if (match) matching.push(dep);
      if (mismatch) nonmatching.push(dep);
    }
    return { matching, nonmatching };
  }
}

/**
 * Another identity that dependents give the absent uid: the first one after `absent` in
 * upstream's lexical order, else the first of all; undefined when every reference agrees.
 */
export function alternateOwnerIdentity(deps: GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen: ObjectIdentity[] = [absent];
  let first: ObjectIdentity | undefined;
  let firstAfter: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (referenceMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const candidate = identityFromReference(ref, dep.identity.namespace);
      // This apiVersion/kind is known to be cluster-scoped, so the namespace is no coordinate.
      if (clusterScoped && candidate.apiVersion === absent.apiVersion && candidate.kind === absent.kind) candidate.namespace = '';
      if (seen.some((s) => sameIdentity(s, candidate))) continue;
      seen.push(candidate);
      if (!first || identityLess(candidate, first)) first = candidate;
      if (identityLess(absent, candidate) && (!firstAfter || identityLess(candidate, firstAfter))) firstAfter = candidate;
    }
  }
  return firstAfter ?? first;
}
