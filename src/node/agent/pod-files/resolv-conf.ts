// The pod's /etc/resolv.conf. ClusterFirst (the default) points at the cluster DNS with the
// usual search path and ndots:5; pod.spec.dnsConfig adds nameservers, searches and options
// (an option named again replaces the earlier one), and dnsPolicy None uses dnsConfig alone.
// The host's own resolvers are never copied in: a pod has no route to them.

import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';

type J = JsonObject;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Upstream's limits: at most 32 search domains (MaxDNSSearchPaths) and 3 nameservers. */
const MAX_SEARCHES = 32;
const MAX_NAMESERVERS = 3;

export function clusterSearches(namespace: string, clusterDomain: string): string[] {
  return [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
}

function mergeOptions(base: string[], extra: J[]): string[] {
  const opts = new Map<string, string>();
  for (const o of base) {
    const [name, value] = o.split(':', 2) as [string, string | undefined];
    opts.set(name, value === undefined ? name : `${name}:${value}`);
  }
  for (const o of extra) {
    const name = typeof o.name === 'string' ? o.name : '';
    if (!name) continue;
    opts.set(name, typeof o.value === 'string' && o.value !== '' ? `${name}:${o.value}` : name);
  }
  return [...opts.values()];
}

const dedupe = (xs: string[]) => [...new Set(xs)];

export function resolvConfContent(pod: KObject, clusterDNS: string, clusterDomain: string): string {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const policy = typeof spec.dnsPolicy === 'string' ? spec.dnsPolicy : 'ClusterFirst';
  const cfg = isPlainObject(spec.dnsConfig) ? spec.dnsConfig : {};
  const none = policy === 'None';
  const nameservers = dedupe([...(none ? [] : [clusterDNS]), ...strings(cfg.nameservers)]).slice(0, MAX_NAMESERVERS);
  const searches = dedupe([...(none ? [] : clusterSearches(pod.metadata.namespace ?? 'default', clusterDomain)), ...strings(cfg.searches)]).slice(0, MAX_SEARCHES);
  const options = mergeOptions(none ? [] : ['ndots:5'], Array.isArray(cfg.options) ? cfg.options.filter(isPlainObject) : []);
  let out = '';
  if (searches.length) out += `search ${searches.join(' ')}\n`;
  for (const ns of nameservers) out += `nameserver ${ns}\n`;
  if (options.length) out += `options ${options.join(' ')}\n`;
  return out;
}
