// Adoption and release of pods and ControllerRevisions (upstream's ControllerRefManager as
// the StatefulSet controller uses it). The decision is pure; the patches and the uncached
// "may I still adopt?" check are injected so that tests can count and fail them.

import type { KObject, OwnerReference } from '../../api/object.js';
import { StatusError } from '../../api/errors.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import { controllerRef } from './pod-event-keys.js';

export type ClaimDecision = 'own' | 'adopt' | 'release' | 'ignore';

/** What to do with `obj` for controller `owner`, given whether it matches the owner's selector. */
export function decideClaim(owner: KObject, obj: KObject, matches: boolean): ClaimDecision {
  const ref = controllerRef(obj);
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore'; // another controller's
    if (matches) return 'own';
    // A controller being deleted lets go of nothing: the GC is about to act on its dependents.
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !matches) return 'ignore';
  if (obj.metadata.deletionTimestamp) return 'ignore';
  if (owner.metadata.namespace !== obj.metadata.namespace) return 'ignore';
  return 'adopt';
}

/** `web-3` → { parent: 'web', ordinal: 3 }; names that do not end in `-<digits>` → undefined. */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } | undefined {
  const m = /^(.*)-([0-9]+)$/.exec(name);
  if (!m) return undefined;
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1]!, ordinal } : undefined;
}

/** A pod is a member of a set when its name is `<set>-<ordinal>`. */
export function isMemberOf(set: KObject, pod: KObject): boolean {
  return parentAndOrdinal(pod.metadata.name ?? '')?.parent === set.metadata.name;
}

export function setControllerRef(set: KObject): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: set.metadata.name!,
    uid: set.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Strategic-merge patches (ownerReferences merge on uid); the object's uid guards against a re-created namesake. */
export function adoptPatch(set: KObject, obj: KObject): unknown {
  return { metadata: { ownerReferences: [setControllerRef(set)], uid: obj.metadata.uid } };
}

export function releasePatch(set: KObject, obj: KObject): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: set.metadata.uid }], uid: obj.metadata.uid } };
}

export interface ClaimDeps {
  /** Strategic-merge patch of the object; resolves to the patched object. */
  patch(obj: KObject, patch: unknown): Promise<KObject>;
  /** Rejects when the set may no longer adopt (uncached re-check: gone, re-created or being deleted). */
  canAdopt(): Promise<void>;
}

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;

function selectorOf(set: KObject): LabelSelector | undefined {
  return (set.spec as { selector?: LabelSelector } | undefined)?.selector;
}

/** Runs `canAdopt` at most once, however many objects are adopted. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

function aggregate(errors: unknown[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
  return new Error(errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
}

/**
 * The pods that belong to `set` after adopting matching orphans and releasing owned pods
 * that no longer match. Every object is attempted; failures are reported together after.
 */
export async function claimPods(set: KObject, pods: KObject[], deps: ClaimDeps): Promise<KObject[]> {
  const selector = selectorOf(set);
  const claimed: KObject[] = [];
  const errors: unknown[] = [];
  const canAdopt = once(deps.canAdopt);
  for (const pod of pods) {
    const matches = labelSelectorMatches(selector, pod.metadata.labels) && isMemberOf(set, pod);
    const decision = decideClaim(set, pod, matches);
    try {
      if (decision === 'own') claimed.push(pod);
      else if (decision === 'adopt') {
        try {
          await canAdopt();
        } catch (err) {
          throw new Error(`can't adopt Pod ${pod.metadata.namespace}/${pod.metadata.name} (${pod.metadata.uid}): ${(err as Error).message}`);
        }
        claimed.push(await deps.patch(pod, adoptPatch(set, pod)));
      } else if (decision === 'release') await deps.patch(pod, releasePatch(set, pod));
    } catch (err) {
      // Gone meanwhile: neither ours nor an error.
      if (!isNotFound(err)) errors.push(err);
    }
  }
  const err = aggregate(errors);
  if (err) throw err;
  return claimed;
}

/**
 * Adopts the orphan ControllerRevisions that match the set's selector (revisions are
 * never released, as upstream).
 */
export async function adoptOrphanRevisions(set: KObject, revisions: KObject[], deps: ClaimDeps): Promise<void> {
  if (set.metadata.deletionTimestamp) return;
  const selector = selectorOf(set);
  const orphans = revisions.filter(
    (r) => !controllerRef(r) && r.metadata.namespace === set.metadata.namespace && labelSelectorMatches(selector, r.metadata.labels),
  );
  if (orphans.length === 0) return;
  try {
    await deps.canAdopt();
  } catch (err) {
    throw new Error(`can't adopt ControllerRevisions for StatefulSet ${set.metadata.namespace}/${set.metadata.name}: ${(err as Error).message}`);
  }
  const errors: unknown[] = [];
  for (const rev of orphans) {
    try {
      await deps.patch(rev, adoptPatch(set, rev));
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  const err = aggregate(errors);
  if (err) throw err;
}

/** The uncached re-check upstream calls canAdoptFunc: the set must still be this one and not being deleted. */
export async function recheckSet(set: KObject, getLive: () => Promise<KObject>): Promise<void> {
  const fresh = await getLive();
  const ns = set.metadata.namespace;
  const name = set.metadata.name;
  if (fresh.metadata.uid !== set.metadata.uid) {
    throw new Error(`original StatefulSet ${ns}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
  }
  if (fresh.metadata.deletionTimestamp) throw new Error(`${ns}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}
