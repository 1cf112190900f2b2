// persistentVolumeClaimRetentionPolicy as ownerReferences on claims (KEP-1847; upstream
// isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod). The garbage collector does the
// deleting: a claim owned by the set goes with the set, one owned by a condemned pod goes
// with that pod.
//
//   whenScaled/whenDeleted   pod in range        pod condemned
//   Retain/Retain            no refs             no refs
//   Retain/Delete            set                 set
//   Delete/Retain            no refs             pod
//   Delete/Delete            set                 pod

import type { KObject, OwnerReference } from '../../api/object.js';
import { podInOrdinalRange } from './pod-identity.js';
import { controllerRef, nameOf, retentionPolicy, POD_API_VERSION, POD_KIND, SET_API_VERSION, SET_KIND } from './spec.js';

function refsOf(o: KObject): OwnerReference[] {
  return o.metadata.ownerReferences ?? [];
}

/** Same apiVersion, kind and name: a reference to `obj`, whatever its UID. */
function matchesRef(ref: OwnerReference, obj: KObject, apiVersion: string, kind: string): boolean {
  return ref.apiVersion === apiVersion && ref.kind === kind && ref.name === nameOf(obj);
}

function isSetRef(ref: OwnerReference, set: KObject): boolean {
  return matchesRef(ref, set, SET_API_VERSION, SET_KIND);
}

function isPodRef(ref: OwnerReference, pod: KObject): boolean {
  return matchesRef(ref, pod, POD_API_VERSION, POD_KIND);
}

/** A ref by UID (controller or not). */
export function hasOwnerRef(target: KObject, owner: KObject): boolean {
  const uid = owner.metadata.uid ?? '';
  return refsOf(target).some((r) => r.uid === uid);
}

/**
 * The first ref naming `obj` carries another UID: left by an earlier incarnation of the
 * set or pod. A pod that is not created yet has no UID, so any ref to its name is stale.
 */
export function hasStaleOwnerRef(target: KObject, obj: KObject, apiVersion: string, kind: string): boolean {
  const ref = refsOf(target).find((r) => matchesRef(r, obj, apiVersion, kind));
  return ref !== undefined && ref.uid !== (obj.metadata.uid ?? '');
}

export function hasStalePodRef(claim: KObject, pod: KObject): boolean {
  return hasStaleOwnerRef(claim, pod, POD_API_VERSION, POD_KIND);
}

/**
 * Under a non-Retain/Retain policy, someone else controls the claim: another controller,
 * or a stale ref to our set/pod name (then the claim is left to the garbage collector).
 */
export function hasUnexpectedController(claim: KObject, set: KObject, pod: KObject): boolean {
  const p = retentionPolicy(set);
  if (p.whenScaled === 'Retain' && p.whenDeleted === 'Retain') return false;
  for (const ref of refsOf(claim)) {
    if (isSetRef(ref, set)) {
      if (ref.uid !== (set.metadata.uid ?? '')) return true;
      continue;
    }
    if (isPodRef(ref, pod)) {
      if (ref.uid !== (pod.metadata.uid ?? '')) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

/** Our set or pod owns the claim but not as controller: the ref must be rewritten. */
function hasNonControllerOwner(claim: KObject, set: KObject, pod: KObject): boolean {
  const setUid = set.metadata.uid ?? '';
  const podUid = pod.metadata.uid ?? '';
  return refsOf(claim).some((r) => (r.uid === setUid || r.uid === podUid) && r.controller !== true);
}

/** The claim's refs already express the policy (or it is in a state we must not touch). */
export function isClaimOwnerUpToDate(claim: KObject, set: KObject, pod: KObject): boolean {
  if (hasStaleOwnerRef(claim, set, SET_API_VERSION, SET_KIND) || hasStalePodRef(claim, pod)) return true;
  if (hasUnexpectedController(claim, set, pod)) {
    // Scrub our own refs off a claim another controller manages; add none.
    return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  }
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const p = retentionPolicy(set);
  const setRef = hasOwnerRef(claim, set);
  const podRef = hasOwnerRef(claim, pod);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (p.whenScaled === 'Delete' && p.whenDeleted === 'Delete') return scaledDown !== setRef && scaledDown === podRef;
  if (p.whenScaled === 'Delete' && p.whenDeleted === 'Retain') return !setRef && scaledDown === podRef;
  if (p.whenScaled === 'Retain' && p.whenDeleted === 'Delete') return setRef && !podRef;
  return !setRef && !podRef; // Retain/Retain, and any unknown value treated as Retain
}

function addControllerRef(refs: OwnerReference[], owner: KObject, apiVersion: string, kind: string): OwnerReference[] {
  if (refs.some((r) => r.uid === (owner.metadata.uid ?? ''))) return refs;
  return [...refs, controllerRef(owner, apiVersion, kind)];
}

/** Rewrites the claim's ownerReferences (in place) to express the policy. */
export function updateClaimOwnerRefs(claim: KObject, set: KObject, pod: KObject): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = refsOf(claim).filter((r) => !isSetRef(r, set) && !isPodRef(r, pod));
  if (!unexpected) {
    const p = retentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    if (p.whenScaled === 'Retain' && p.whenDeleted === 'Delete') {
      refs = addControllerRef(refs, set, SET_API_VERSION, SET_KIND);
    } else if (p.whenScaled === 'Delete' && p.whenDeleted === 'Retain') {
      if (scaledDown) refs = addControllerRef(refs, pod, POD_API_VERSION, POD_KIND);
    } else if (p.whenScaled === 'Delete' && p.whenDeleted === 'Delete') {
      refs = scaledDown ? addControllerRef(refs, pod, POD_API_VERSION, POD_KIND) : addControllerRef(refs, set, SET_API_VERSION, SET_KIND);
    }
  }
  if (refs.length > 0) claim.metadata.ownerReferences = refs; else delete claim.metadata.ownerReferences;
}
