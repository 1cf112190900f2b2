// The legacy Endpoints object a Service should have, and whether the stored one already is
// it (upstream endpoints controller syncService, the comparison and the rewrite).

import { clone, deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { countAddresses, MAX_ENDPOINTS_CAPACITY, truncateSubsets, type EndpointSubset } from './endpoint-subsets.js';
import { HEADLESS_LABEL, isServiceIPSet, TRIGGER_TIME_ANNOTATION } from './service-facts.js';
import { applyTriggerTime } from './trigger-time.js';

export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

function subsetsOf(ep: KObject): unknown[] {
  return Array.isArray(ep.subsets) ? ep.subsets : [];
}

/** Subsets as compared: target references without their resourceVersion. */
function comparable(subsets: unknown[]): unknown[] {
  const copy = clone(subsets);
  for (const s of copy) {
    if (!isPlainObject(s)) continue;
    for (const list of [s.addresses, s.notReadyAddresses]) {
      if (!Array.isArray(list)) continue;
      for (const a of list) if (isPlainObject(a) && isPlainObject(a.targetRef)) delete a.targetRef.resourceVersion;
    }
  }
  return copy;
}

/** The over-capacity annotation is right when the stored subsets fit and it is absent. */
function capacityAnnotationCorrect(current: KObject): boolean {
  if (countAddresses(subsetsOf(current) as EndpointSubset[]) > MAX_ENDPOINTS_CAPACITY) return false;
  return !(OVER_CAPACITY_ANNOTATION in (current.metadata.annotations ?? {}));
}

/**
 * The Endpoints to write for the Service, or undefined when the stored one (`current`)
 * already matches. The headless label is not compared, as upstream: only the Service's
 * labels and the subsets decide whether to write.
 */
export function desiredEndpoints(
  svc: KObject,
  current: KObject | undefined,
  subsets: EndpointSubset[],
  triggerTime: number | undefined,
): KObject | undefined {
  const svcLabels = svc.metadata.labels ?? {};
  if (current) {
    const currentLabels = { ...(current.metadata.labels ?? {}) };
    delete currentLabels[HEADLESS_LABEL];
    if (deepEqual(comparable(subsetsOf(current)), comparable(subsets)) && deepEqual(currentLabels, svcLabels) && capacityAnnotationCorrect(current)) {
      return undefined;
    }
  }
  const next: KObject = current
    ? clone(current)
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } };
  const finalSubsets = clone(subsets);
  const truncated = truncateSubsets(finalSubsets);
  const kept = finalSubsets.filter((s) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0) > 0);
  if (kept.length) next.subsets = kept;
  else delete next.subsets;

  applyTriggerTime(next, TRIGGER_TIME_ANNOTATION, triggerTime);
  const annotations = { ...(next.metadata.annotations ?? {}) };
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  if (Object.keys(annotations).length) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;

  const labels = { ...svcLabels };
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  if (Object.keys(labels).length) next.metadata.labels = labels;
  else delete next.metadata.labels;
  return next;
}
