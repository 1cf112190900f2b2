// The node agent's settings (what `ordinal up` passes from its flags).

import type { Runtime } from '../runtime/types.js';
import type { HeartbeatTiming } from './node/node-heartbeat.js';

export interface NodeAgentOptions {
  /** The Node's name; os.hostname() by default, as the kubelet's. */
  nodeName?: string;
  runtime: Runtime;
  /** The node's InternalIP (also every pod's hostIP). */
  nodeIP: string;
  /** The streaming server's port, recorded in status.daemonEndpoints.kubeletEndpoint.Port. */
  streaming?: { port: number };
  /** The cluster DNS address pods use (the bridge address). */
  clusterDNS: string;
  clusterDomain: string;
  /** Pod and service ranges: probe and hook targets must fall inside them. */
  podCIDR?: string;
  serviceCIDR?: string;
  /** Test-only: the CrashLoopBackOff base (default 10 s, doubling to 30× base = 5 min). */
  crashLoopBaseMs?: number;
  /** Where pod directories (volumes, etc-hosts) and nfs-backed volumes live. */
  dataDir: string;
  /** The command of a well-known image without one; default: src/node/runtime/process/images.ts. */
  defaultCommandFor?: (image: string) => string[] | undefined;
  /** Test-only: lease and status intervals. */
  heartbeat?: HeartbeatTiming;
  /** How often a pod waiting on volumes, config or a failed sandbox is retried (default 2 s). */
  retryMs?: number;
  log?: (message: string) => void;
}
