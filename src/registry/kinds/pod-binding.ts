// The pods/binding subresource (BindingREST upstream): the scheduler's one way to set
// spec.nodeName. It writes straight to storage, so no strategy hooks and no generation bump.

import { clone, isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { badRequest, conflict } from '../../api/errors.js';
import { FieldPath, invalidError, notSupported, required, type FieldError } from '../../api/field-errors.js';

export interface Binding {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; uid?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string; apiVersion?: string };
}

function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind && kind !== 'Node') errs.push(notSupported(FieldPath.root('target').child('kind'), kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(required(FieldPath.root('target').child('name')));
  return errs;
}

/** Adds or refreshes a condition the way podutil.UpdatePodCondition does. */
function setCondition(status: JsonObject, type: string, value: string, now: Date): void {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : (status.conditions = []);
  const existing = conditions.find((c) => isPlainObject(c) && c.type === type);
  const fresh: JsonObject = { type, status: value, lastProbeTime: null, lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (!existing) {
    conditions.push(fresh);
    return;
  }
  if (existing.status === value) fresh.lastTransitionTime = existing.lastTransitionTime;
  Object.keys(existing).forEach((k) => delete existing[k]);
  Object.assign(existing, fresh);
}

/**
 * Returns the bound pod (a copy), or throws the StatusError upstream returns: 409 when the pod
 * is already bound or being deleted, 422 for a malformed Binding, 400 for a name mismatch.
 */
export function applyBinding(pod: KObject, binding: Binding, now: Date = new Date()): KObject {
  const name = pod.metadata.name ?? '';
  if (binding.metadata?.name !== undefined && binding.metadata.name !== name) {
    throw badRequest('name in URL does not match name in Binding object');
  }
  const errs = validateBinding(binding);
  if (errs.length) throw invalidError('', 'Binding', binding.metadata?.name ?? name, errs);
  const uid = binding.metadata?.uid;
  if (uid && uid !== pod.metadata.uid) {
    throw conflict('', 'pods/binding', name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (pod.metadata.deletionTimestamp) {
    throw conflict('', 'pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`);
  }
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === 'string' && spec.nodeName) {
    throw conflict('', 'pods/binding', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  }
  const out = clone(pod);
  const outSpec = isPlainObject(out.spec) ? out.spec : (out.spec = {});
  outSpec.nodeName = binding.target!.name;
  const ann = binding.metadata?.annotations;
  if (ann && Object.keys(ann).length) out.metadata.annotations = { ...(out.metadata.annotations ?? {}), ...ann };
  const status = isPlainObject(out.status) ? out.status : (out.status = {});
  setCondition(status, 'PodScheduled', 'True', now);
  return out;
}
