// The process runtime's network layer: the public API (the rest of the runtime and
// `ordinal cleanup` import only from here).
//
//   const net = new PodNetwork({ podCIDR, serviceCIDR, bridgeCIDR?, dataDir, instanceId? });
//   await net.setUp();                       // refuses overlapping ranges; re-attaches surviving pods
//   const a = await net.attachPod(uid, ip?); // { netnsName, netnsPath, ip, prefixLength, hostVeth }
//   // run pod processes with: nsenter --net=<a.netnsPath> …  or  ip netns exec <a.netnsName> …
//   await net.pruneExcept(liveUids);         // at start-up: drop pods that no longer exist
//   await net.detachPod(uid);                // kill the pod's processes first
//   await net.tearDown();                    // clean shutdown
//   await cleanupNetwork(dataDir, { killProcesses: true }); // `ordinal cleanup --data-dir DIR`

export { PodNetwork } from './pod-network.js';
export { cleanupNetwork, describeCleanup, isEmptyReport, type CleanupOptions } from './cleanup.js';
export { routeGet, isUnroutable } from './route-get.js';
export { instanceIdFor, namesFor, netnsPath, ROUTE_PROTOCOL } from './names.js';
export { resolveRanges, type ResolvedRanges } from './config.js';
export { nftAvailable } from './ip-command.js';
export { netnsPids } from './host-links.js';
export { containsAddress, parseCidr, parseIPv4, overlaps, formatCidr, type Cidr } from './ipv4.js';
export type { CleanupReport, NetworkNames, PodAttachment, PodNetworkConfig } from './types.js';
