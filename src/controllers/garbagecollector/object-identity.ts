// Who an object is, as the garbage collector names it: the four coordinates an
// ownerReference carries (apiVersion, kind, name, uid) plus the namespace, and the small
// predicates over metadata that the graph and the workers share.

import type { KObject, OwnerReference } from '../../api/object.js';

/** The finalizer that holds an owner until its blocking dependents are gone (Foreground). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** The finalizer that holds an owner until its dependents no longer point at it (Orphan). */
export const ORPHAN_FINALIZER = 'orphan';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (and for a virtual owner, the dependent's namespace). */
  namespace: string;
}

export function identityOf(apiVersion: string, kind: string, obj: KObject): ObjectIdentity {
  return {
    apiVersion,
    kind,
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
    namespace: obj.metadata.namespace ?? '',
  };
}

/** A virtual owner's guessed identity: the reference's coordinates in the dependent's namespace. */
export function identityFromReference(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** Whether a reference points at exactly these coordinates (namespace aside). */
export function referenceMatches(ref: OwnerReference, id: { apiVersion: string; kind: string; name: string; uid: string }): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export function identityKey(id: ObjectIdentity): string {
  return `${id.apiVersion}|${id.kind}|${id.namespace}|${id.name}|${id.uid}`;
}

export function describeIdentity(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

/** Upstream's lexical order of identities: kind, apiVersion, namespace, name, uid. */
export function identityLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k];
  }
  return false;
}

export function isBlocking(ref: OwnerReference): boolean {
  return ref.blockOwnerDeletion === true;
}

export function beingDeleted(obj: KObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null;
}

export function hasFinalizer(obj: KObject, finalizer: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(finalizer);
}

/**
 * True when this change is the moment the object began deleting with `finalizer`: it is
 * deleting with it now, and the previous state (if any) was not.
 */
export function deletionStartsWith(oldObj: KObject | undefined, newObj: KObject, finalizer: string): boolean {
  if (!beingDeleted(newObj) || !hasFinalizer(newObj, finalizer)) return false;
  if (!oldObj) return true;
  return !beingDeleted(oldObj) || !hasFinalizer(oldObj, finalizer);
}

export interface OwnerReferenceDiff {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: { oldRef: OwnerReference; newRef: OwnerReference }[];
}

/** Compares two ownerReference lists by uid. */
export function diffOwnerReferences(oldRefs: readonly OwnerReference[], newRefs: readonly OwnerReference[]): OwnerReferenceDiff {
  const byUid = new Map(oldRefs.map((r) => [r.uid, r]));
  const out: OwnerReferenceDiff = { added: [], removed: [], changed: [] };
  for (const ref of newRefs) {
    const old = byUid.get(ref.uid);
    if (!old) {
      out.added.push(ref);
      continue;
    }
    byUid.delete(ref.uid);
    if (!sameReference(old, ref)) out.changed.push({ oldRef: old, newRef: ref });
  }
  out.removed.push(...byUid.values());
  return out;
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return referenceMatches(a, b) && (a.controller ?? null) === (b.controller ?? null) && (a.blockOwnerDeletion ?? null) === (b.blockOwnerDeletion ?? null);
}
