// Where a probe or hook may connect. Its traffic must stay inside the cluster: the pod's own
// address by default; an explicit `host` only if it is (or resolves, through the cluster DNS
// only, to) an address inside the pod or service CIDR. Anything else fails without a packet.

import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ClusterRanges {
  podCIDR?: string;
  serviceCIDR?: string;
  clusterDNS: string;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
}

export function inCIDR(ip: string, cidr: string | undefined): boolean {
  if (!cidr || isIP(ip) !== 4) return false;
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || isIP(base) !== 4 || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

export class ProbeTargetError extends Error {}

/** The address to dial: the pod's own for an empty host; an in-cluster address otherwise. */
export async function probeAddress(host: string | undefined, podIP: string, ranges: ClusterRanges): Promise<string> {
  if (!host || host === podIP) return podIP;
  let ip = host;
  if (!isIP(host)) {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([ranges.clusterDNS]);
    const answers = await resolver.resolve4(host).catch((err: Error) => {
      throw new ProbeTargetError(`lookup ${host} on ${ranges.clusterDNS}: ${err.message}`);
    });
    if (!answers.length) throw new ProbeTargetError(`lookup ${host} on ${ranges.clusterDNS}: no such host`);
    ip = answers[0]!;
  }
  if (!inCIDR(ip, ranges.podCIDR) && !inCIDR(ip, ranges.serviceCIDR)) {
    throw new ProbeTargetError(`host ${host} (${ip}) is outside the cluster's pod and service ranges; not connecting`);
  }
  return ip;
}
