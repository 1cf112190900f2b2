// How one ordinal instance names what it creates on the host. Everything derives from the
// data dir, so `ordinal cleanup --data-dir DIR` finds the leftovers even without a state file.

import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { NetworkNames } from './types.js';

/** The `proto` number on our unreachable routes (not in iproute2's rt_protos; 79 is "O"). */
export const ROUTE_PROTOCOL = 79;
/** Our route metrics are this plus the instance id, so that instances never share one. */
const METRIC_BASE = 1_000_000;
const ID_RE = /^[0-9a-f]{1,6}$/;
const IFNAMSIZ = 15;

/** The data dir as an absolute path with symlinks resolved where it still exists. */
export function canonicalDataDir(dataDir: string): string {
  const abs = path.resolve(dataDir);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/** Six hex digits of the data dir path's hash: short enough for 15-character interface names. */
export function instanceIdFor(dataDir: string): string {
  return createHash('sha256').update(canonicalDataDir(dataDir)).digest('hex').slice(0, 6);
}

export function namesFor(instanceId: string): NetworkNames {
  if (!ID_RE.test(instanceId)) throw new Error(`instance id must be 1-6 lowercase hex digits, got ${JSON.stringify(instanceId)}`);
  return {
    instanceId,
    bridge: `ord${instanceId}`,
    // Hex ids never start with "rd", so "o<id>" veths cannot be confused with "ord<id>" bridges.
    vethPrefix: `o${instanceId}`,
    netnsPrefix: `ordinal-${instanceId}-`,
    nftTable: `ordinal_${instanceId}`,
    routeMetric: METRIC_BASE + parseInt(instanceId, 16),
  };
}

/** The host veth of the pod holding the n-th address of the bridge range. */
export function hostVethName(names: NetworkNames, n: number): string {
  const name = `${names.vethPrefix}${n}`;
  if (name.length > IFNAMSIZ) throw new Error(`interface name ${name} is longer than ${IFNAMSIZ} characters`);
  return name;
}

export function isOurVeth(names: NetworkNames, ifname: string): boolean {
  return ifname.startsWith(names.vethPrefix) && /^\d+$/.test(ifname.slice(names.vethPrefix.length));
}

/** Pod uids are UUIDs; only their hex digits go into names (they are also ip batch tokens). */
export function podUidToken(podUid: string, length: number): string {
  const hex = podUid.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length < 8) throw new Error(`pod uid ${JSON.stringify(podUid)} has too few hex digits for a netns name`);
  return hex.slice(0, length);
}

export function netnsNameFor(names: NetworkNames, podUid: string, length = 8): string {
  return `${names.netnsPrefix}${podUidToken(podUid, length)}`;
}

export function isOurNetns(names: NetworkNames, netns: string): boolean {
  return netns.startsWith(names.netnsPrefix) && /^[0-9a-f]+$/.test(netns.slice(names.netnsPrefix.length));
}

export const NETNS_DIR = '/run/netns';

export function netnsPath(netnsName: string): string {
  return `${NETNS_DIR}/${netnsName}`;
}
