// The legacy Endpoints `subsets` of a Service (upstream endpoints controller and
// pkg/api/v1/endpoints RepackSubsets): one entry per (pod, port), then repacked into the
// canonical form — addresses grouped by the exact set of ports they serve, ready ones under
// `addresses`, the others under `notReadyAddresses`, addresses sorted by IP then pod UID.

import type { JsonObject, KObject } from '../../api/object.js';
import { isIPv6, isPodReady, podHostname, podIPs, podNodeName, podTargetRef, shouldPodBeInEndpoints, shouldSetHostname } from './pod-facts.js';
import { specOf } from './object-fields.js';
import { clusterIP, findPort, publishNotReadyAddresses, servicePorts } from './service-facts.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: JsonObject;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** The pod's address of the Service's first family (upstream podToEndpointAddressForService). */
function podAddressFor(svc: KObject, pod: KObject): EndpointAddress | undefined {
  const families = specOf(svc).ipFamilies;
  let v6: boolean;
  if (Array.isArray(families) && families.length) v6 = families[0] === 'IPv6';
  else if (clusterIP(svc) && clusterIP(svc) !== 'None') v6 = isIPv6(clusterIP(svc));
  else v6 = isIPv6(podIPs(pod)[0] ?? '');
  const ip = podIPs(pod).find((a) => isIPv6(a) === v6);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = podHostname(pod);
  if (podNodeName(pod)) addr.nodeName = podNodeName(pod);
  addr.targetRef = podTargetRef(pod);
  return addr;
}

/** One subset per pod and port, before repacking. */
export function rawSubsets(svc: KObject, pods: KObject[]): EndpointSubset[] {
  const tolerateUnready = publishNotReadyAddresses(svc);
  const ports = servicePorts(svc);
  const out: EndpointSubset[] = [];
  const add = (pod: KObject, addr: EndpointAddress, port: EndpointPort | undefined) => {
    const subset: EndpointSubset = tolerateUnready || isPodReady(pod) ? { addresses: [addr] } : { notReadyAddresses: [addr] };
    if (port) subset.ports = [port];
    out.push(subset);
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = podAddressFor(svc, pod);
    if (!addr) continue;
    // A headless Service may have no ports; a Service with a cluster IP and no ports gets nothing.
    if (ports.length === 0) {
      if (clusterIP(svc) === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      const port: EndpointPort = { port: num, protocol: sp.protocol };
      if (sp.name) port.name = sp.name;
      if (sp.appProtocol) port.appProtocol = sp.appProtocol;
      add(pod, addr, port);
    }
  }
  return out;
}

const addressKey = (a: EndpointAddress) => `${a.ip}\u0000${String(a.targetRef?.uid ?? '')}`;

/** Upstream LessEndpointAddress: IP bytes, then the pod UID (an address without pod first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef ? String(a.targetRef.uid ?? '') : undefined;
  const ub = b.targetRef ? String(b.targetRef.uid ?? '') : undefined;
  if (ua === ub) return 0;
  if (ub === undefined) return 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : 1;
}

const portKey = (p: EndpointPort | undefined) => (p ? JSON.stringify([p.name ?? '', p.port, p.protocol, p.appProtocol ?? null]) : '');

/**
 * Repacks subsets canonically. Where upstream orders ports and subsets by a hash of their Go
 * representation, this orders ports by name, number and protocol and subsets by their first
 * address: equally deterministic, and the same whenever there is one subset with one port.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  // port key → (address key → ready); not ready wins over ready for the same address and port.
  const byPort = new Map<string, { port: EndpointPort | undefined; ready: Map<string, boolean> }>();
  const note = (addr: EndpointAddress, port: EndpointPort | undefined, ready: boolean) => {
    const ak = addressKey(addr);
    if (!addrs.has(ak)) addrs.set(ak, addr);
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
    const was = entry.ready.get(ak);
    if (was === undefined || was) entry.ready.set(ak, ready);
  };
  for (const s of subsets) {
    const ports: (EndpointPort | undefined)[] = s.ports?.length ? s.ports : [undefined];
    for (const p of ports) {
      for (const a of s.addresses ?? []) note(a, p, true);
      for (const a of s.notReadyAddresses ?? []) note(a, p, false);
    }
  }
  // Group ports by the exact set of (address, readiness) they are offered on.
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const gk = JSON.stringify([...ready.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ready, ports: [] }));
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [ak, r] of g.ready) (r ? ready : notReady).push(addrs.get(ak)!);
    const subset: EndpointSubset = {};
    if (ready.length) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length) subset.ports = g.ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    out.push(subset);
  }
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0];
  return out.sort((a, b) => {
    const fa = first(a);
    const fb = first(b);
    const c = fa && fb ? compareAddresses(fa, fb) : 0;
    return c !== 0 ? c : JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
  });
}

/** Upstream's cap on the addresses of one Endpoints object. */
export const MAX_ENDPOINTS_CAPACITY = 1000;

/**
 * Cuts subsets down to the capacity, in proportion per subset: not-ready addresses go first;
 * only when the ready ones alone exceed it are those cut too (and every not-ready one dropped).
 * Returns whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  if (ready + notReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const cutReady = ready > MAX_ENDPOINTS_CAPACITY;
  const max = cutReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - ready;
  const total = cutReady ? ready : notReady;
  let room = max;
  for (const s of subsets) {
    const n = (cutReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const take = Math.min(Math.ceil((n / total) * max), room);
    room -= take;
    if (cutReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, take);
      delete s.notReadyAddresses;
    } else if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, take);
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
  return true;
}

export function countAddresses(subsets: EndpointSubset[]): number {
  return subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
}
