// The instance's nftables table: the bridge address (where ordinal's servers listen for pods)
// accepts packets only from the bridge and loopback, and nothing is forwarded into or out
// of the pod ranges through any interface but ours (a second line of defence should the host
// forward or load br_netfilter; ordinal itself never enables forwarding).

import { mustRun, nftAvailable, runTool } from './ip-command.js';
import type { NetworkNames } from './types.js';

const FAMILY = 'inet';

export interface FirewallSpec {
  bridgeAddress: string;
  podCIDR: string;
  serviceCIDR: string;
}

/** The whole table as an `nft -f` script that replaces any previous version atomically. */
export function firewallScript(names: NetworkNames, spec: FirewallSpec): string {
  const t = names.nftTable;
  const ours = `iifname != "${names.bridge}" iifname != "${names.vethPrefix}*"`;
  const oursOut = `oifname != "${names.bridge}" oifname != "${names.vethPrefix}*"`;
  return [
    // Declaring then deleting makes the script work whether or not the table exists yet.
    `table ${FAMILY} ${t} {}`,
    `delete table ${FAMILY} ${t}`,
    `table ${FAMILY} ${t} {`,
    `  chain input {`,
    `    type filter hook input priority filter; policy accept;`,
    `    ip daddr ${spec.bridgeAddress} iifname != { "${names.bridge}", "lo" } drop`,
    `  }`,
    `  chain forward {`,
    `    type filter hook forward priority filter; policy accept;`,
    `    ip daddr { ${spec.podCIDR}, ${spec.serviceCIDR} } ${ours} drop`,
    `    ip saddr ${spec.podCIDR} ${oursOut} drop`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

/** Installs (or replaces) the table; false when nft is not available on this host. */
export async function installFirewall(names: NetworkNames, spec: FirewallSpec): Promise<boolean> {
  if (!(await nftAvailable())) return false;
  await mustRun('nft', ['-f', '-'], firewallScript(names, spec));
  return true;
}

/** Removes the table; true when it existed. */
export async function removeFirewall(names: NetworkNames): Promise<boolean> {
  if (!(await nftAvailable())) return false;
  const r = await runTool('nft', ['delete', 'table', FAMILY, names.nftTable]);
  return r.code === 0;
}

export async function firewallExists(names: NetworkNames): Promise<boolean> {
  if (!(await nftAvailable())) return false;
  const r = await runTool('nft', ['list', 'table', FAMILY, names.nftTable]);
  return r.code === 0;
}
