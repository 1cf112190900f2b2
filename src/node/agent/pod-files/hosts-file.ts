// The pod's /etc/hosts in the kubelet's format (managedHostsFileContent): the header, the
// loopback and IPv6 boilerplate, one line per pod IP naming the pod (FQDN first when it has a
// subdomain), then the spec.hostAliases block.

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

export function hostsFileContent(podIPs: string[], hostname: string, domain: string, aliases: HostAlias[] = []): string {
  let out = '# Kubernetes-managed hosts file.\n';
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) out += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  }
  return out;
}
