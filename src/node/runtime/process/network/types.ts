// The public shapes of the process runtime's network layer (see index.ts for the API).

export interface PodNetworkConfig {
  /** The whole pod range, e.g. 10.244.0.0/16; covered on the host by an `unreachable` route. */
  podCIDR: string;
  /** The ClusterIP range, e.g. 10.96.0.0/16; covered on the host by an `unreachable` route. */
  serviceCIDR: string;
  /** The part of podCIDR that lives on the bridge; default the first /24 of podCIDR. */
  bridgeCIDR?: string;
  /** ordinal's data dir: the instance id and the state file derive from it. */
  dataDir: string;
  /** Override of the id derived from the data dir (hex, 1–6 chars); tests normally leave it unset. */
  instanceId?: string;
}

export interface PodAttachment {
  podUid: string;
  /** Name under /run/netns (as `ip netns` sees it). */
  netnsName: string;
  /** `/run/netns/<netnsName>`: for `nsenter --net=<path>` or `ip netns exec <netnsName>`. */
  netnsPath: string;
  ip: string;
  /** Prefix length of the pod's eth0 address (the bridge CIDR's). */
  prefixLength: number;
  /** The host end of the veth pair, a port of the bridge. */
  hostVeth: string;
}

/** Everything one instance owns on the host, by name: what setUp creates and cleanup removes. */
export interface NetworkNames {
  instanceId: string;
  bridge: string;
  /** Host veths are `<vethPrefix><n>`. */
  vethPrefix: string;
  /** Pod netns are `<netnsPrefix><podUid8>`. */
  netnsPrefix: string;
  nftTable: string;
  /** The route metric that marks this instance's unreachable routes (with routeProtocol). */
  routeMetric: number;
}

export interface CleanupReport {
  netns: string[];
  links: string[];
  routes: string[];
  nftTables: string[];
  stateFileRemoved: boolean;
  /** Processes killed because they still ran inside one of the instance's netns. */
  killedPids: number[];
}
