// What DNS needs to know about one Service, distilled from the Service and its EndpointSlices.
// Only ready endpoints are kept: the endpointslice controller already marks endpoints of a
// Service with publishNotReadyAddresses ready, and an absent condition means ready.

import type { KObject } from '../api/object.js';

export interface PortEntry {
  /** Lower case; '' for an unnamed port (those get no SRV records). */
  name: string;
  /** Lower case: tcp, udp, sctp. */
  protocol: string;
  port: number;
}

export interface EndpointEntry {
  ip: string;
  family: 4 | 6;
  /** The endpoint's DNS label: its hostname, else the address with dashes (CoreDNS's choice). */
  label: string;
  ports: PortEntry[];
}

export type ServiceKind = 'clusterIP' | 'headless' | 'externalName';

export interface ServiceEntry {
  namespace: string;
  name: string;
  kind: ServiceKind;
  clusterIPs: string[];
  /** ExternalName target, without a trailing dot. */
  externalName: string;
  ports: PortEntry[];
  endpoints: EndpointEntry[];
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}

function ports(list: unknown): PortEntry[] {
  return arr(list)
    .filter((p) => typeof p.port === 'number')
    .map((p) => ({ name: str(p.name).toLowerCase(), protocol: (str(p.protocol) || 'TCP').toLowerCase(), port: p.port as number }));
}

export function serviceKind(svc: KObject): ServiceKind {
  const spec = (svc.spec ?? {}) as Record<string, unknown>;
  if (spec.type === 'ExternalName') return 'externalName';
  return spec.clusterIP === 'None' ? 'headless' : 'clusterIP';
}

export function dashedLabel(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

/** Ready endpoints of the slices, one entry per address, duplicates (same label and IP) once. */
export function readyEndpoints(slices: readonly KObject[]): EndpointEntry[] {
  const out: EndpointEntry[] = [];
  const seen = new Set<string>();
  const sorted = [...slices].sort((a, b) => str(a.metadata.name).localeCompare(str(b.metadata.name)));
  for (const slice of sorted) {
    const type = str((slice as Record<string, unknown>).addressType);
    if (type !== 'IPv4' && type !== 'IPv6') continue;
    const slicePorts = ports((slice as Record<string, unknown>).ports);
    for (const ep of arr((slice as Record<string, unknown>).endpoints)) {
      const conditions = (ep.conditions ?? {}) as Record<string, unknown>;
      if (conditions.ready === false) continue;
      const hostname = str(ep.hostname).toLowerCase();
      for (const raw of Array.isArray(ep.addresses) ? ep.addresses : []) {
        const ip = str(raw);
        if (!ip) continue;
        const label = hostname || dashedLabel(ip);
        const key = `${label}/${ip}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ip, family: type === 'IPv4' ? 4 : 6, label, ports: slicePorts });
      }
    }
  }
  return out;
}

export function serviceEntry(svc: KObject, slices: readonly KObject[]): ServiceEntry {
  const spec = (svc.spec ?? {}) as Record<string, unknown>;
  const kind = serviceKind(svc);
  const ips = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP]).map(str).filter((ip) => ip && ip !== 'None');
  return {
    namespace: str(svc.metadata.namespace),
    name: str(svc.metadata.name),
    kind,
    clusterIPs: kind === 'clusterIP' ? ips : [],
    externalName: str(spec.externalName).replace(/\.$/, ''),
    ports: ports(spec.ports),
    endpoints: kind === 'externalName' ? [] : readyEndpoints(slices),
  };
}
