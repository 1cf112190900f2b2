// The `endpoints.kubernetes.io/last-change-trigger-time` annotation (upstream
// TriggerTimeTracker): the earliest time of a change that this write reflects — a pod's Ready
// transition or, for a Service seen for the first time, its creation. Each controller keeps
// its own tracker, updated on every sync, so a no-op sync still moves the baseline on.

import type { KObject } from '../../api/object.js';
import { readyTransitionTime } from './pod-facts.js';

interface ServiceState {
  podTimes: Map<string, number>;
  serviceTime: number | undefined;
}

function creationTime(svc: KObject): number | undefined {
  const t = Date.parse(String(svc.metadata.creationTimestamp ?? ''));
  return Number.isNaN(t) ? undefined : t;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time for this sync (undefined: none, the annotation is cleared). */
  compute(serviceKey: string, svc: KObject, pods: KObject[]): number | undefined {
    const prev = this.states.get(serviceKey);
    let min: number | undefined;
    const consider = (t: number) => {
      if (min === undefined || t < min) min = t;
    };
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = readyTransitionTime(pod);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name ?? '', t);
      const before = prev?.podTimes.get(pod.metadata.name ?? '');
      if (before === undefined || t > before) consider(t);
    }
    const serviceTime = creationTime(svc);
    if (serviceTime !== undefined && (prev?.serviceTime === undefined || serviceTime > prev.serviceTime)) consider(serviceTime);
    this.states.set(serviceKey, { podTimes, serviceTime });
    if (!prev) return serviceTime;
    return min;
  }

  deleteService(serviceKey: string): void {
    this.states.delete(serviceKey);
  }
}

/** Go's RFC3339Nano in UTC: fractional seconds only when non-zero, without trailing zeros. */
export function formatTriggerTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

/** Sets or clears the annotation on an object about to be written. */
export function applyTriggerTime(obj: KObject, annotation: string, time: number | undefined): void {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  if (time !== undefined) annotations[annotation] = formatTriggerTime(time);
  else delete annotations[annotation];
  if (Object.keys(annotations).length) obj.metadata.annotations = annotations;
  else delete obj.metadata.annotations;
}
