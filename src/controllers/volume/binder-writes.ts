// The PV controller's writes, each one skipped when the object already says it: binding a
// volume to a claim and a claim to a volume (with upstream's bind-completed and
// bound-by-controller annotations), phase changes with their messages and events, unbinding
// a reclaimed volume, and naming the provisioner on a claim.

import { clone, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import type { Client } from '../../client/types.js';
import type { EventRecorder } from '../../client/event-recorder-types.js';
import type { FreshCache } from './fresh-cache.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_STORAGE_PROVISIONER,
  accessModes,
  annotation,
  claimRefOf,
  claimStatusCapacity,
  hasAnnotation,
  phaseOf,
  specOf,
  statusOf,
  str,
  volumeBoundToClaim,
  volumeCapacity,
} from './volume-objects.js';
import { compareQuantities } from '../../api/quantity.js';
import { deepEqual, isPlainObject } from '../../api/object.js';

export const PVS = mustFindResource('', 'persistentvolumes');
export const PVCS = mustFindResource('', 'persistentvolumeclaims');

function setAnnotation(o: KObject, key: string, value: string): void {
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: value };
}

export class BinderWrites {
  constructor(
    private readonly client: Client,
    private readonly volumes: FreshCache,
    private readonly claims: FreshCache,
    private readonly recorder: EventRecorder,
  ) {}

  async updateVolume(pv: KObject): Promise<KObject> {
    return this.volumes.remember(await this.client.update(PVS, undefined, pv));
  }

  async updateClaim(claim: KObject): Promise<KObject> {
    return this.claims.remember(await this.client.update(PVCS, claim.metadata.namespace, claim));
  }

  /** updateVolumePhase: status.phase and status.message, unless they already read so. */
  async volumePhase(pv: KObject, phase: string, message = ''): Promise<KObject> {
    const st = statusOf(pv);
    if (phaseOf(pv) === phase && str(st.message) === message) return pv;
    const next = clone(pv);
    next.status = { ...statusOf(pv), phase };
    if (message) (next.status as Record<string, unknown>).message = message;
    else delete (next.status as Record<string, unknown>).message;
    return this.volumes.remember(await this.client.updateStatus(PVS, undefined, next));
  }

  /** updateVolumePhaseWithEvent: the event is recorded only when the phase write happens. */
  async volumePhaseWithEvent(pv: KObject, phase: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<KObject> {
    if (phaseOf(pv) === phase) return pv;
    const out = await this.volumePhase(pv, phase, message);
    this.recorder.event(out, type, reason, message);
    return out;
  }

  /**
   * updateClaimStatus: the phase, and the access modes and capacity the volume offers (or none
   * without a volume). Capacity is copied only when the claim becomes Bound, so a resize in
   * progress is not overwritten.
   */
  async claimStatus(claim: KObject, phase: string, pv: KObject | undefined): Promise<KObject> {
    const st: Record<string, unknown> = { ...statusOf(claim) };
    let dirty = phaseOf(claim) !== phase;
    st.phase = phase;
    if (!pv) {
      for (const k of ['accessModes', 'capacity']) {
        if (st[k] === undefined) continue;
        delete st[k];
        dirty = true;
      }
    } else {
      const modes = accessModes(pv);
      if (!deepEqual(st.accessModes ?? [], modes)) {
        st.accessModes = modes;
        dirty = true;
      }
      if (phaseOf(claim) !== phase) {
        const have = claimStatusCapacity(claim);
        const offered = specOf(pv).capacity;
        if (isPlainObject(offered) && offered.storage !== undefined && (!have || compareQuantities(have, volumeCapacity(pv)) !== 0)) {
          st.capacity = { ...(isPlainObject(st.capacity) ? st.capacity : {}), storage: offered.storage };
          dirty = true;
        }
      }
    }
    if (!dirty) return claim;
    const next = clone(claim);
    next.status = st;
    return this.claims.remember(await this.client.updateStatus(PVCS, claim.metadata.namespace, next));
  }

  async claimStatusWithEvent(claim: KObject, phase: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<KObject> {
    if (phaseOf(claim) === phase) return claim;
    const out = await this.claimStatus(claim, phase, undefined);
    this.recorder.event(out, type, reason, message);
    return out;
  }

  /** bindVolumeToClaim: claimRef set to the claim (with its UID), bound-by-controller when we chose it. */
  async bindVolumeToClaim(pv: KObject, claim: KObject): Promise<KObject> {
    const byController = !volumeBoundToClaim(pv, claim);
    const ref = claimRefOf(pv);
    const next = clone(pv);
    let dirty = false;
    if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
      (next.spec as Record<string, unknown>).claimRef = {
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: claim.metadata.resourceVersion,
      };
      dirty = true;
    }
    if (byController && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
      setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    return dirty ? this.updateVolume(next) : pv;
  }

  /** bindClaimToVolume: spec.volumeName, bound-by-controller when we chose the volume, bind-completed. */
  async bindClaimToVolume(claim: KObject, pv: KObject): Promise<KObject> {
    const name = pv.metadata.name ?? '';
    const byController = str(specOf(claim).volumeName) !== name;
    const next = clone(claim);
    let dirty = false;
    if (str(specOf(next).volumeName) !== name) {
      next.spec = { ...specOf(next), volumeName: name };
      dirty = true;
    }
    if (byController && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
      setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    if (!hasAnnotation(next, ANN_BIND_COMPLETED)) {
      setAnnotation(next, ANN_BIND_COMPLETED, 'yes');
      dirty = true;
    }
    return dirty ? this.updateClaim(next) : claim;
  }

  /** bind: volume first (so a crash leaves a claimRef the next sync completes), then the claim. */
  async bind(pv: KObject, claim: KObject): Promise<void> {
    let volume = await this.bindVolumeToClaim(pv, claim);
    volume = await this.volumePhase(volume, 'Bound');
    const c = await this.bindClaimToVolume(claim, volume);
    await this.claimStatus(c, 'Bound', volume);
  }

  /** unbindVolume: a controller-made binding is removed; a user's pre-binding keeps its name. */
  async unbindVolume(pv: KObject): Promise<KObject> {
    const next = clone(pv);
    const spec = next.spec as Record<string, unknown>;
    if (hasAnnotation(pv, ANN_BOUND_BY_CONTROLLER)) {
      delete spec.claimRef;
      const anns = { ...(next.metadata.annotations ?? {}) };
      delete anns[ANN_BOUND_BY_CONTROLLER];
      next.metadata.annotations = Object.keys(anns).length ? anns : undefined;
      if (!next.metadata.annotations) delete next.metadata.annotations;
    } else if (isPlainObject(spec.claimRef)) {
      spec.claimRef = { ...spec.claimRef };
      delete (spec.claimRef as Record<string, unknown>).uid;
    }
    const updated = await this.updateVolume(next);
    return this.volumePhase(updated, 'Available');
  }

  /** setClaimProvisioner: both the GA and the beta annotation, as upstream still writes. */
  async setClaimProvisioner(claim: KObject, provisioner: string): Promise<KObject> {
    if (annotation(claim, ANN_STORAGE_PROVISIONER) === provisioner) return claim;
    const next = clone(claim);
    setAnnotation(next, ANN_BETA_STORAGE_PROVISIONER, provisioner);
    setAnnotation(next, ANN_STORAGE_PROVISIONER, provisioner);
    return this.updateClaim(next);
  }
}
