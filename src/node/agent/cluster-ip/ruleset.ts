// The nft script that gives one pod its ClusterIP Services: a table `ordinal_svc` in the
// pod's own network namespace whose nat/output chain rewrites the destination of a
// ClusterIP:port to one of the Service's endpoints, picked at random per connection (or
// fixed per pod under sessionAffinity ClientIP), and whose filter/output chain rejects
// anything still addressed to the service range afterwards (a port without endpoints, an
// unknown port or an unallocated ClusterIP), as kube-proxy does. The script replaces the
// whole table in one transaction. Conntrack in the pod's netns undoes the rewrite on replies.

import { createHash } from 'node:crypto';
import type { Backend, ServiceTarget } from './service-targets.js';

export const TABLE = 'ordinal_svc';

/** Output-hook nat runs at dstnat's usual priority; the reject chain after it, at filter's. */
const NAT_PRIORITY = -100;
const FILTER_PRIORITY = 0;

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

function pickFor(podIP: string, key: string, backends: Backend[]): Backend {
  const h = createHash('sha256').update(`${podIP}|${key}`).digest();
  return backends[h.readUInt32BE(0) % backends.length]!;
}

function dnatRule(t: ServiceTarget, podIP: string): string {
  const match = `ip daddr ${t.clusterIP} ${t.protocol} dport ${t.port}`;
  if (t.backends.length === 0) return ''; // left to the reject chain
  if (t.backends.length === 1 || t.clientIPAffinity) {
    const b = t.backends.length === 1 ? t.backends[0]! : pickFor(podIP, t.key, t.backends);
    return `${match} dnat to ${b.ip}:${b.port}`;
  }
  const elements = t.backends.map((b, i) => `${i} : ${b.ip} . ${b.port}`).join(', ');
  return `${match} dnat ip to numgen random mod ${t.backends.length} map { ${elements} }`;
}

/** The whole table for a pod whose address is `podIP`. */
export function rulesetFor(targets: ServiceTarget[], podIP: string, serviceCIDR: string | undefined): string {
  const lines = [
    // Declaring then deleting makes the script work whether or not the table exists yet.
    `table ip ${TABLE} {}`,
    `delete table ip ${TABLE}`,
    `table ip ${TABLE} {`,
    `  chain services {`,
    `    type nat hook output priority ${NAT_PRIORITY}; policy accept;`,
  ];
  for (const t of targets) {
    const rule = dnatRule(t, podIP);
    if (rule) lines.push(`    ${rule}`);
  }
  lines.push(`  }`);
  if (serviceCIDR && CIDR.test(serviceCIDR)) {
    lines.push(
      `  chain unserved {`,
      `    type filter hook output priority ${FILTER_PRIORITY}; policy accept;`,
      `    ip daddr ${serviceCIDR} reject`,
      `  }`,
    );
  }
  lines.push(`}`, '');
  return lines.join('\n');
}
