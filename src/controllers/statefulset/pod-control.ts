// Creating, repairing and deleting one stateful pod and its claims, with the events the
// upstream StatefulPodControl records (stateful_pod_control.go). Reads and raw writes go
// through the ports; the policy of when to call what lives in sync.ts.

import { clone, type KObject } from '../../api/object.js';
import type { StatefulSetPorts } from './ports.js';
import { aggregate, isAlreadyExists, isConflict, messageOf } from './errors.js';
import { claimsForPod, identityMatches, ordinalOf, claimName, storageMatches, updateIdentity, updateStorage } from './pod-identity.js';
import { hasStalePodRef, hasUnexpectedController, isClaimOwnerUpToDate, updateClaimOwnerRefs } from './claim-retention.js';
import { nameOf, namespaceOf, retentionPolicy, volumeClaimTemplates } from './spec.js';

// client-go's retry.DefaultBackoff has 4 steps; the retries here need no sleep because
// each one re-reads the object first.
const UPDATE_ATTEMPTS = 4;

type Verb = 'create' | 'update' | 'delete';

function title(verb: Verb): string {
  return verb[0]!.toUpperCase() + verb.slice(1);
}

export class StatefulPodControl {
  constructor(private readonly ports: StatefulSetPorts) {}

  recordPodEvent(verb: Verb, set: KObject, pod: KObject, err?: unknown): void {
    if (err === undefined) {
      this.ports.recordEvent(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} successful`);
    } else {
      this.ports.recordEvent(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} failed error: ${messageOf(err)}`);
    }
  }
  /** Runs one step of a pod operation; a failure is recorded as that operation's event. */
  private async reporting(verb: Verb, set: KObject, pod: KObject, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (err) {
      this.recordPodEvent(verb, set, pod, err);
      throw err;
    }
  }


  private recordClaimEvent(verb: Verb, set: KObject, pod: KObject, claim: KObject, err?: unknown): void {
    if (err === undefined) {
      this.ports.recordEvent(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${nameOf(claim)} Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} success`);
    } else {
      this.ports.recordEvent(set, 'Warning', `Failed${title(verb)}`, `${verb} Claim ${nameOf(claim)} for Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} failed error: ${messageOf(err)}`);
    }
  }

  /** Creates every claim of `pod` the cache lacks; a claim being deleted is an error. */
  async createClaims(set: KObject, pod: KObject): Promise<void> {
    const errs: unknown[] = [];
    for (const claim of claimsForPod(set, pod).values()) {
      let existing: KObject | undefined;
      try {
        existing = await this.ports.getClaim(namespaceOf(claim), nameOf(claim));
      } catch (err) {
        errs.push(new Error(`failed to retrieve PVC ${nameOf(claim)}: ${messageOf(err)}`));
        this.recordClaimEvent('create', set, pod, claim, err);
        continue;
      }
      if (existing === undefined) {
        try {
          await this.ports.createClaim(namespaceOf(claim), clone(claim));
          this.recordClaimEvent('create', set, pod, claim);
        } catch (err) {
          errs.push(new Error(`failed to create PVC ${nameOf(claim)}: ${messageOf(err)}`));
          // A claim the cache has not seen yet is not worth a warning.
          if (!isAlreadyExists(err)) this.recordClaimEvent('create', set, pod, claim, err);
        }
      } else if (existing.metadata.deletionTimestamp) {
        errs.push(new Error(`pvc ${nameOf(claim)} is being deleted`));
      }
      // Existing claims are never reconciled against the template (as upstream).
    }
    const err = aggregate(errs);
    if (err !== undefined) throw err;
  }

  /** Claims first, then the pod, then the claims' retention ownerRefs; events as upstream. */
  async createStatefulPod(set: KObject, pod: KObject): Promise<void> {
    await this.reporting('create', set, pod, () => this.createClaims(set, pod));
    let createErr: unknown;
    try {
      await this.ports.createPod(namespaceOf(set), clone(pod));
    } catch (err) {
      // A pod the cache has not seen yet: no event, the next sync sees it.
      if (isAlreadyExists(err)) throw err;
      createErr = err;
    }
    await this.reporting('update', set, pod, () => this.updatePodClaimForRetentionPolicy(set, pod));
    this.recordPodEvent('create', set, pod, createErr);
    if (createErr !== undefined) throw createErr;
  }

  /**
   * Repairs identity, storage and claim ownership of a live pod, retrying on Conflict from
   * the cache's newer copy. No API call and no event when nothing differs.
   */
  async updateStatefulPod(set: KObject, original: KObject): Promise<void> {
    let pod = clone(original);
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        await this.reporting('update', set, pod, () => this.createClaims(set, pod));
      }
      let match: boolean;
      try {
        match = await this.claimsMatchRetentionPolicy(set, pod);
        if (!match) {
          await this.updatePodClaimForRetentionPolicy(set, pod);
          consistent = false;
        }
      } catch (err) {
        this.recordPodEvent('update', set, pod, err);
        throw err;
      }
      if (consistent) {
        lastErr = undefined;
        break;
      }
      attempted = true;
      try {
        await this.ports.updatePod(clone(pod));
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        const fresh = await this.ports.getPod(namespaceOf(set), nameOf(pod)).catch(() => undefined);
        if (fresh) pod = clone(fresh);
        if (!isConflict(err)) break;
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastErr);
    if (lastErr !== undefined) throw lastErr;
  }

  async deleteStatefulPod(set: KObject, pod: KObject): Promise<void> {
    await this.reporting('delete', set, pod, () => this.ports.deletePod(namespaceOf(pod) || namespaceOf(set), nameOf(pod)));
    this.recordPodEvent('delete', set, pod);
  }

  /** Every existing claim of the pod has the ownerRefs the policy asks for (missing ones match). */
  async claimsMatchRetentionPolicy(set: KObject, pod: KObject): Promise<boolean> {
    const ordinal = ordinalOf(pod);
    for (const t of volumeClaimTemplates(set)) {
      const name = claimName(set, t, ordinal);
      let claim: KObject | undefined;
      try {
        claim = await this.ports.getClaim(namespaceOf(set), name);
      } catch {
        throw new Error(`Could not retrieve claim ${name} for ${nameOf(pod)} when checking PVC deletion policy`);
      }
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** Rewrites the pod's claims' ownerRefs to the policy; warns when another controller owns one. */
  async updatePodClaimForRetentionPolicy(set: KObject, pod: KObject): Promise<void> {
    const ordinal = ordinalOf(pod);
    for (const t of volumeClaimTemplates(set)) {
      const name = claimName(set, t, ordinal);
      let claim: KObject | undefined;
      try {
        claim = await this.ports.getClaim(namespaceOf(set), name);
      } catch (err) {
        throw new Error(`Could not retrieve claim ${name} not found for ${nameOf(pod)} when checking PVC deletion policy: ${messageOf(err)}`);
      }
      if (!claim) continue; // picked up by a later sync
      if (hasUnexpectedController(claim, set, pod)) {
        // Message text (typo included) is upstream's.
        this.ports.recordEvent(set, 'Warning', 'ConflictingController',
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`);
      }
      if (!isClaimOwnerUpToDate(claim, set, pod)) {
        const updated = clone(claim);
        updateClaimOwnerRefs(updated, set, pod);
        try {
          await this.ports.updateClaim(updated);
        } catch (err) {
          throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${messageOf(err)}`);
        }
      }
    }
  }

  /**
   * Under whenScaled=Delete, a claim of a pod about to be created that still names an
   * earlier pod of that name is waiting for the garbage collector: do not create the pod
   * onto it.
   */
  async podClaimIsStale(set: KObject, pod: KObject): Promise<boolean> {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const c of claimsForPod(set, pod).values()) {
      const existing = await this.ports.getClaim(namespaceOf(c), nameOf(c));
      if (existing && hasStalePodRef(existing, pod)) return true;
    }
    return false;
  }

  /** For a Pending pod: recreate claims deleted under it and fix their ownerRefs. */
  async createMissingClaims(set: KObject, pod: KObject): Promise<void> {
    await this.createClaims(set, pod);
    await this.reporting('update', set, pod, () => this.updatePodClaimForRetentionPolicy(set, pod));
  }
}

