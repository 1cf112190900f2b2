// The server's lookup tables, kept in step with the informers one Service at a time:
// Services by namespace/name, and the reverse map from an IP to the names that own it.

import { isIPv6 } from 'node:net';
import type { ServiceEntry } from './service-entry.js';
import { ipv6Bytes, ipv6FromBytes } from './wire/rdata.js';

export interface PtrOwner {
  /** Fully qualified, no trailing dot. */
  target: string;
  /** Service ClusterIPs answer before endpoint addresses, as CoreDNS does. */
  isService: boolean;
}

export function canonicalIP(ip: string): string {
  return isIPv6(ip) ? ipv6FromBytes(ipv6Bytes(ip)) : ip;
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace.toLowerCase()}/${name.toLowerCase()}`;
}

export class DnsIndex {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly reverse = new Map<string, Map<string, PtrOwner[]>>();
  /** Bumped on every change: the SOA serial. */
  private version = 1;

  constructor(readonly zone: string) {}

  get serial(): number {
    return this.version;
  }

  get size(): number {
    return this.services.size;
  }

  service(namespace: string, name: string): ServiceEntry | undefined {
    return this.services.get(serviceKey(namespace, name));
  }

  /** Replaces (or with undefined removes) the entry of one Service. */
  set(key: string, entry: ServiceEntry | undefined): void {
    const old = this.services.get(key);
    if (old) this.unindexReverse(key);
    if (entry) {
      this.services.set(key, entry);
      this.indexReverse(key, entry);
    } else {
      this.services.delete(key);
    }
    if (old || entry) this.version = (this.version + 1) >>> 0 || 1;
  }

  /** Names for a PTR query, service names first, each name once. */
  ptr(ip: string): string[] {
    const owners = this.reverse.get(canonicalIP(ip));
    if (!owners) return [];
    const all = [...owners.values()].flat();
    all.sort((a, b) => Number(b.isService) - Number(a.isService) || a.target.localeCompare(b.target));
    return [...new Set(all.map((o) => o.target))];
  }

  private indexReverse(key: string, e: ServiceEntry): void {
    const svcName = `${e.name}.${e.namespace}.svc.${this.zone}`.toLowerCase();
    const add = (ip: string, owner: PtrOwner) => {
      const c = canonicalIP(ip);
      let owners = this.reverse.get(c);
      if (!owners) this.reverse.set(c, (owners = new Map()));
      let list = owners.get(key);
      if (!list) owners.set(key, (list = []));
      list.push(owner);
    };
    for (const ip of e.clusterIPs) add(ip, { target: svcName, isService: true });
    for (const ep of e.endpoints) add(ep.ip, { target: `${ep.label}.${svcName}`, isService: false });
  }

  private unindexReverse(key: string): void {
    const old = this.services.get(key);
    if (!old) return;
    for (const ip of [...old.clusterIPs, ...old.endpoints.map((ep) => ep.ip)]) {
      const c = canonicalIP(ip);
      const owners = this.reverse.get(c);
      if (!owners) continue;
      owners.delete(key);
      if (owners.size === 0) this.reverse.delete(c);
    }
  }
}
