// A pod's hostname and DNS domain (upstream's GeneratePodHostNameAndDomain and
// truncatePodHostnameIfNeeded): spec.hostname or the pod name, cut to 63 characters; with a
// subdomain, the domain `<subdomain>.<ns>.svc.<clusterDomain>`; with setHostnameAsFQDN, the
// kernel hostname is the whole FQDN, which must fit in 64 characters.

import { isPlainObject, type KObject } from '../../../api/object.js';

const MAX_HOSTNAME = 63;
const MAX_FQDN = 64;

export function truncateHostname(name: string): string {
  if (name.length <= MAX_HOSTNAME) return name;
  return name.slice(0, MAX_HOSTNAME).replace(/[-.]+$/, '');
}

export interface PodHostname {
  /** The short hostname (what the hosts file maps). */
  hostname: string;
  /** `<subdomain>.<ns>.svc.<clusterDomain>`, or '' without a subdomain. */
  domain: string;
  /** What the UTS namespace gets: the short name, or the FQDN under setHostnameAsFQDN. */
  kernelHostname: string;
}

export function podHostname(pod: KObject, clusterDomain: string): PodHostname {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const hostname = truncateHostname(typeof spec.hostname === 'string' && spec.hostname ? spec.hostname : pod.metadata.name ?? '');
  const sub = typeof spec.subdomain === 'string' ? spec.subdomain : '';
  const domain = sub ? `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  let kernelHostname = hostname;
  if (spec.setHostnameAsFQDN === true && domain) {
    kernelHostname = `${hostname}.${domain}`;
    if (kernelHostname.length > MAX_FQDN) {
      throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${kernelHostname} is too long (${MAX_FQDN} characters is the max, ${kernelHostname.length} characters requested)`);
    }
  }
  return { hostname, domain, kernelHostname };
}
