// Validation of a PodNetwork's ranges, before anything on the host is touched.

import { containsCidr, firstSubnet, formatCidr, formatIPv4, overlaps, parseCidr, type Cidr } from './ipv4.js';
import type { PodNetworkConfig } from './types.js';

export interface ResolvedRanges {
  pod: Cidr;
  service: Cidr;
  bridge: Cidr;
  /** `.1` of the bridge range: the host's address on the bridge, the pods' next hop and DNS. */
  bridgeAddress: string;
}

const DEFAULT_BRIDGE_PREFIX = 24;
/** A bridge range needs room for the network, bridge and broadcast addresses plus pods. */
const MAX_BRIDGE_PREFIX = 29;

export function resolveRanges(cfg: PodNetworkConfig): ResolvedRanges {
  const pod = parseCidr(cfg.podCIDR);
  const service = parseCidr(cfg.serviceCIDR);
  if (overlaps(pod, service)) {
    throw new Error(`pod CIDR ${formatCidr(pod)} and service CIDR ${formatCidr(service)} overlap`);
  }
  const bridge = cfg.bridgeCIDR !== undefined ? parseCidr(cfg.bridgeCIDR) : firstSubnet(pod, Math.max(pod.prefix, DEFAULT_BRIDGE_PREFIX));
  if (!containsCidr(pod, bridge)) {
    throw new Error(`bridge CIDR ${formatCidr(bridge)} is not inside pod CIDR ${formatCidr(pod)}`);
  }
  if (bridge.prefix > MAX_BRIDGE_PREFIX) {
    throw new Error(`bridge CIDR ${formatCidr(bridge)} is too small (at most /${MAX_BRIDGE_PREFIX})`);
  }
  return { pod, service, bridge, bridgeAddress: formatIPv4(bridge.base + 1) };
}
