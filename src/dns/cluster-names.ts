// Which kind of cluster name a query asks for, from its labels below the zone (lower case).
// The shapes are those of the Kubernetes DNS specification, read the way CoreDNS reads them.

export type ClusterName =
  | { kind: 'apex' }
  | { kind: 'dns-version' }
  /** `svc.<zone>` and `pod.<zone>`: exist, hold nothing. */
  | { kind: 'branch' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'service'; namespace: string; service: string }
  | { kind: 'endpoint'; namespace: string; service: string; endpoint: string }
  | { kind: 'port'; namespace: string; service: string; port: string; protocol: string }
  /** `<a-b-c-d>.<ns>.pod.<zone>`: the deprecated pod A record. */
  | { kind: 'pod'; namespace: string; label: string }
  | { kind: 'none' };

const strip = (s: string) => (s.startsWith('_') ? s.slice(1) : s);

/** `relative` is the name minus the zone, outermost label last (e.g. ['web-0','nginx','default','svc']). */
export function parseClusterName(relative: readonly string[]): ClusterName {
  const n = relative.length;
  if (n === 0) return { kind: 'apex' };
  const last = relative[n - 1]!;
  if (n === 1 && last === 'dns-version') return { kind: 'dns-version' };
  if (last !== 'svc' && last !== 'pod') return { kind: 'none' };
  if (n === 1) return { kind: 'branch' };
  const namespace = relative[n - 2]!;
  if (n === 2) return { kind: 'namespace', namespace };
  if (last === 'pod') return n === 3 ? { kind: 'pod', namespace, label: relative[0]! } : { kind: 'none' };
  const service = relative[n - 3]!;
  if (n === 3) return { kind: 'service', namespace, service };
  if (n === 4) return { kind: 'endpoint', namespace, service, endpoint: relative[0]! };
  if (n === 5) return { kind: 'port', namespace, service, port: strip(relative[0]!), protocol: strip(relative[1]!) };
  return { kind: 'none' };
}

/** `a-b-c-d` → `a.b.c.d` when that is an IPv4 address (pods `insecure` mode: the name is the data). */
export function podLabelIPv4(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4) return undefined;
  if (!parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.join('.');
}
