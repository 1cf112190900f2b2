// One pod as an EndpointSlice endpoint, and the ports it serves for a Service (upstream
// podToEndpoint / getEndpointPorts), plus the keys the reconciler groups them by.

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import {
  isIPv6,
  isPodReady,
  isTerminating,
  podHostname,
  podIPs,
  podNodeName,
  podTargetRef,
  shouldSetHostname,
} from './pod-facts.js';
import { clusterIP, findPort, publishNotReadyAddresses, servicePorts, type AddressType } from './service-facts.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface SlicePort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: JsonObject;
  nodeName?: string;
  zone?: string;
}

/** The pod's addresses of one family. */
export function addressesOfType(pod: KObject, type: AddressType): string[] {
  return podIPs(pod).filter((ip) => isIPv6(ip) === (type === 'IPv6'));
}

/**
 * The endpoint for a pod. `serving` is plain readiness; `ready` additionally excludes
 * terminating pods, unless the Service publishes not-ready addresses, when it is always true.
 */
export function podToSliceEndpoint(pod: KObject, node: KObject | undefined, svc: KObject, type: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = isTerminating(pod);
  const ready = publishNotReadyAddresses(svc) || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: addressesOfType(pod, type),
    conditions: { ready, serving, terminating },
    targetRef: podTargetRef(pod),
  };
  const nodeName = podNodeName(pod);
  if (nodeName) ep.nodeName = nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = podHostname(pod);
  return ep;
}

/**
 * The ports this pod serves for the Service, in the Service's order; a port whose named
 * target the pod lacks is left out. A headless Service may have no ports at all.
 */
export function sliceEndpointPorts(svc: KObject, pod: KObject): SlicePort[] {
  const ports = servicePorts(svc);
  if (ports.length === 0 && clusterIP(svc) === 'None') return [];
  const out: SlicePort[] = [];
  for (const sp of ports) {
    const num = findPort(pod, sp);
    if (num === undefined) continue;
    const p: SlicePort = { name: sp.name, protocol: sp.protocol, port: num };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** A stored slice port in the shape the controller writes (server defaults filled in). */
export function normalizePort(raw: unknown): SlicePort {
  const p = isPlainObject(raw) ? raw : {};
  const out: SlicePort = {
    name: typeof p.name === 'string' ? p.name : '',
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
    port: typeof p.port === 'number' ? p.port : 0,
  };
  if (typeof p.appProtocol === 'string' && p.appProtocol) out.appProtocol = p.appProtocol;
  return out;
}

/** Identifies a set of ports regardless of order: slices are grouped by it. */
export function portMapKey(ports: readonly unknown[]): string {
  const norm = ports.map(normalizePort).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify(norm.map((p) => [p.name, p.protocol, p.port, p.appProtocol ?? null]));
}

/**
 * An endpoint's identity: its addresses, hostname and pod. Two endpoints with the same
 * identity are the same endpoint in another state (conditions, node, zone may differ).
 */
export function endpointKey(ep: unknown): string {
  const e = isPlainObject(ep) ? ep : {};
  const addrs = Array.isArray(e.addresses) ? e.addresses.map(String).sort() : [];
  const ref = isPlainObject(e.targetRef) ? e.targetRef : {};
  const hostname = typeof e.hostname === 'string' ? e.hostname : '';
  return JSON.stringify([addrs, hostname, String(ref.namespace ?? ''), String(ref.name ?? '')]);
}
