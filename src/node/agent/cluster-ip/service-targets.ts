// What a pod's ClusterIP rules must say, computed from the Services and their EndpointSlices
// (the kube-proxy's view): for every ClusterIP, port and protocol, the endpoints traffic may
// go to. Ready endpoints are used; when none is ready, serving endpoints that are terminating
// take their place (upstream's ProxyTerminatingEndpoints). A Service port with no endpoint at
// all has an empty list (its traffic is rejected).

import { isPlainObject, type KObject } from '../../../api/object.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export type Protocol = 'tcp' | 'udp';

export interface Backend {
  ip: string;
  port: number;
}

export interface ServiceTarget {
  /** `namespace/name:portName` (for logs and stable ordering). */
  key: string;
  clusterIP: string;
  protocol: Protocol;
  port: number;
  backends: Backend[];
  /** sessionAffinity ClientIP: every connection of one pod goes to the same endpoint. */
  clientIPAffinity: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: unknown): s is string {
  return typeof s === 'string' && IPV4.test(s);
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function protocolOf(p: unknown): Protocol | undefined {
  const v = typeof p === 'string' ? p : 'TCP';
  return v === 'TCP' ? 'tcp' : v === 'UDP' ? 'udp' : undefined;
}

const objects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** The IPv4 cluster IPs of a Service that proxies (not headless, not ExternalName). */
export function clusterIPsOf(svc: KObject): string[] {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  if (spec.type === 'ExternalName') return [];
  const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [spec.clusterIP];
  return [...new Set(ips.filter(isIPv4))];
}

interface Candidate extends Backend {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** Endpoints of one Service port across the Service's slices (IPv4 only, deduplicated). */
function candidatesFor(slices: KObject[], portName: string, protocol: Protocol): Candidate[] {
  const byAddr = new Map<string, Candidate>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const port = objects(slice.ports).find((p) => (typeof p.name === 'string' ? p.name : '') === portName && protocolOf(p.protocol) === protocol);
    if (!port || typeof port.port !== 'number' || port.port < 1 || port.port > 65535) continue;
    for (const ep of objects(slice.endpoints)) {
      const cond = isPlainObject(ep.conditions) ? ep.conditions : {};
      // Unset conditions: ready and serving count as true, terminating as false (the API's rules).
      const ready = cond.ready !== false;
      const serving = typeof cond.serving === 'boolean' ? cond.serving : ready;
      const terminating = cond.terminating === true;
      for (const ip of Array.isArray(ep.addresses) ? ep.addresses.filter(isIPv4).slice(0, 1) : []) {
        const k = `${ip}:${port.port}`;
        const prev = byAddr.get(k);
        if (!prev || (ready && !prev.ready)) byAddr.set(k, { ip, port: port.port, ready, serving, terminating });
      }
    }
  }
  return [...byAddr.values()];
}

function chooseBackends(cands: Candidate[]): Backend[] {
  let use = cands.filter((c) => c.ready);
  if (use.length === 0) use = cands.filter((c) => c.serving && c.terminating);
  return use.map(({ ip, port }) => ({ ip, port })).sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip) || a.port - b.port);
}

/** Every proxied Service port, in a stable order. `slicesOf` returns a Service's slices. */
export function serviceTargets(services: KObject[], slicesOf: (namespace: string, name: string) => KObject[]): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  for (const svc of services) {
    const ips = clusterIPsOf(svc);
    if (ips.length === 0) continue;
    const spec = isPlainObject(svc.spec) ? svc.spec : {};
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name ?? '';
    const slices = slicesOf(ns, name);
    const clientIPAffinity = spec.sessionAffinity === 'ClientIP';
    for (const sp of objects(spec.ports)) {
      const protocol = protocolOf(sp.protocol);
      if (!protocol || typeof sp.port !== 'number' || sp.port < 1 || sp.port > 65535) continue;
      const portName = typeof sp.name === 'string' ? sp.name : '';
      const backends = chooseBackends(candidatesFor(slices, portName, protocol));
      for (const clusterIP of ips) {
        out.push({ key: `${ns}/${name}:${portName}`, clusterIP, protocol, port: sp.port, backends, clientIPAffinity });
      }
    }
  }
  return out.sort((a, b) => ipNumber(a.clusterIP) - ipNumber(b.clusterIP) || a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** The Service a slice belongs to, as `namespace/name`, from its service-name label. */
export function sliceServiceKey(slice: KObject): string | undefined {
  const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc && slice.metadata.namespace ? `${slice.metadata.namespace}/${svc}` : undefined;
}
