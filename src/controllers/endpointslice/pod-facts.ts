// What both endpoint controllers read from a Pod: its addresses, readiness, terminal and
// terminating state, and the DNS hostname it asks for (upstream endpointslice/util and
// pkg/api/v1/pod).

import type { JsonObject, KObject } from '../../api/object.js';
import { objects, specOf, statusOf, str } from './object-fields.js';

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/** status.podIPs in order; a lone status.podIP stands in for the list when only it is set. */
export function podIPs(pod: KObject): string[] {
  const st = statusOf(pod);
  const list = objects(st.podIPs)
    .map((e) => str(e.ip))
    .filter((ip) => ip !== '');
  if (list.length) return list;
  const single = str(st.podIP);
  return single ? [single] : [];
}

function readyCondition(pod: KObject): JsonObject | undefined {
  return objects(statusOf(pod).conditions).find((c) => c.type === 'Ready');
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the Ready condition last changed: the pod's contribution to the trigger time. */
export function readyTransitionTime(pod: KObject): number | undefined {
  const t = Date.parse(str(readyCondition(pod)?.lastTransitionTime));
  return Number.isNaN(t) ? undefined : t;
}

/** Succeeded or Failed: its containers will not run again. */
export function isPodTerminal(pod: KObject): boolean {
  const phase = statusOf(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isTerminating(pod: KObject): boolean {
  return typeof pod.metadata.deletionTimestamp === 'string' && pod.metadata.deletionTimestamp !== '';
}

/**
 * Whether the pod is published at all: running (not terminal), with an address, and — unless
 * terminating pods are wanted — not being deleted.
 */
export function shouldPodBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && isTerminating(pod)) return false;
  return true;
}

/** A pod gets a per-pod DNS name under a Service only when its subdomain names that Service. */
export function shouldSetHostname(pod: KObject, svc: KObject): boolean {
  const spec = specOf(pod);
  const hostname = str(spec.hostname);
  return hostname !== '' && str(spec.subdomain) === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

export function podNodeName(pod: KObject): string {
  return str(specOf(pod).nodeName);
}

export function podHostname(pod: KObject): string {
  return str(specOf(pod).hostname);
}

/** The reference every endpoint carries back to its pod. */
export function podTargetRef(pod: KObject): JsonObject {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}
