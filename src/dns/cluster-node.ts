// The data held at one name of the cluster zone, before it is shaped into records for a type:
// addresses, an alias, service locations, text. undefined means the name does not exist.

import { parseClusterName, podLabelIPv4 } from './cluster-names.js';
import type { DnsIndex } from './dns-index.js';
import type { EndpointEntry, PortEntry, ServiceEntry } from './service-entry.js';

export interface Address {
  ip: string;
  family: 4 | 6;
}

export interface SrvTarget {
  /** Fully qualified, no trailing dot. */
  target: string;
  port: number;
  /** Glue for the additional section. */
  addresses: Address[];
}

export interface ZoneNode {
  addresses: Address[];
  /** ExternalName target, no trailing dot. */
  cname?: string;
  srv: SrvTarget[];
  txt: string[];
  apex?: boolean;
}

export interface NodeContext {
  index: DnsIndex;
  zone: string;
  namespaceExists(namespace: string): boolean;
}

const EMPTY: ZoneNode = { addresses: [], srv: [], txt: [] };

export const SCHEMA_VERSION = '1.1.0';

export function lookupNode(relative: readonly string[], ctx: NodeContext): ZoneNode | undefined {
  const name = parseClusterName(relative);
  switch (name.kind) {
    case 'apex':
      return { ...EMPTY, apex: true };
    case 'dns-version':
      return { ...EMPTY, txt: [SCHEMA_VERSION] };
    case 'branch':
      return EMPTY;
    case 'namespace':
      return ctx.namespaceExists(name.namespace) ? EMPTY : undefined;
    case 'pod': {
      const ip = podLabelIPv4(name.label);
      return ip && ctx.namespaceExists(name.namespace) ? { ...EMPTY, addresses: [{ ip, family: 4 }] } : undefined;
    }
    case 'none':
      return undefined;
  }
  if (!ctx.namespaceExists(name.namespace)) return undefined;
  const svc = ctx.index.service(name.namespace, name.service);
  if (!svc) return undefined;
  if (svc.kind === 'externalName') return name.kind === 'endpoint' ? undefined : externalNameNode(svc);
  const fqdn = `${svc.name}.${svc.namespace}.svc.${ctx.zone}`.toLowerCase();
  if (name.kind === 'service') return serviceNode(svc, fqdn, undefined);
  if (name.kind === 'port') return serviceNode(svc, fqdn, { port: name.port, protocol: name.protocol });
  return endpointNode(svc.endpoints.filter((ep) => ep.label === name.endpoint), fqdn);
}

function externalNameNode(svc: ServiceEntry): ZoneNode {
  return svc.externalName ? { ...EMPTY, cname: svc.externalName.toLowerCase() } : EMPTY;
}

type PortFilter = { port: string; protocol: string } | undefined;

/** A bare name matches every port (named or not); `_port._proto` matches a named port only. */
function portMatches(p: PortEntry, filter: PortFilter): boolean {
  return !filter || (p.name !== '' && p.name === filter.port && p.protocol === filter.protocol);
}

function uniqueAddresses(eps: readonly EndpointEntry[]): Address[] {
  const seen = new Set<string>();
  const out: Address[] = [];
  for (const ep of eps) {
    if (seen.has(ep.ip)) continue;
    seen.add(ep.ip);
    out.push({ ip: ep.ip, family: ep.family });
  }
  return out;
}

function ipFamily(ip: string): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}

function serviceNode(svc: ServiceEntry, fqdn: string, filter: PortFilter): ZoneNode | undefined {
  if (svc.kind === 'headless') {
    const srv: SrvTarget[] = [];
    const matched: EndpointEntry[] = [];
    for (const ep of svc.endpoints) {
      const ports = ep.ports.filter((p) => portMatches(p, filter));
      if (filter && ports.length === 0) continue;
      matched.push(ep);
      for (const p of ports) srv.push({ target: `${ep.label}.${fqdn}`, port: p.port, addresses: [{ ip: ep.ip, family: ep.family }] });
    }
    // No ready endpoint (or none with the port): the name does not exist.
    if (matched.length === 0) return undefined;
    return { ...EMPTY, addresses: uniqueAddresses(matched), srv };
  }
  const ports = svc.ports.filter((p) => portMatches(p, filter));
  if (filter && ports.length === 0) return undefined;
  const addresses = svc.clusterIPs.map((ip) => ({ ip, family: ipFamily(ip) }));
  return { ...EMPTY, addresses, srv: ports.map((p) => ({ target: fqdn, port: p.port, addresses })) };
}

function endpointNode(eps: EndpointEntry[], fqdn: string): ZoneNode | undefined {
  if (eps.length === 0) return undefined;
  const srv = eps.flatMap((ep) => ep.ports.map((p) => ({ target: `${ep.label}.${fqdn}`, port: p.port, addresses: [{ ip: ep.ip, family: ep.family }] })));
  return { ...EMPTY, addresses: uniqueAddresses(eps), srv };
}
