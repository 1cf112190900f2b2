// Choosing and starting the node's container runtime for `ordinal up`: the process runtime
// (real processes in Linux namespaces) where this machine allows it, else the simulated one,
// said in one line, never silently.

import type { Runtime } from '../node/runtime/types.js';
import { SimulatedRuntime } from '../node/runtime/simulated/simulated-runtime.js';
import { ProcessRuntime } from '../node/runtime/process/runtime.js';
import { processRuntimeSupport } from '../node/runtime/process/support.js';
import { PodNetwork } from '../node/runtime/process/network/index.js';

export type RuntimeName = 'process' | 'simulated';

export interface NodeRuntime {
  runtime: Runtime;
  /** The node's InternalIP and every pod's hostIP: the bridge address, or loopback when simulated. */
  nodeIP: string;
  /** Where pods reach the cluster DNS and the API server (process runtime only). */
  bridgeAddress?: string;
}

export function parseRuntimeName(text: string | undefined): RuntimeName | undefined {
  if (text === undefined) return undefined;
  if (text === 'process' || text === 'simulated') return text;
  throw new Error(`--runtime ${text}: expected "process" or "simulated"`);
}

export async function chooseNodeRuntime(
  requested: RuntimeName | undefined,
  opts: { dataDir: string; podCIDR: string; serviceCIDR: string; log: (line: string) => void },
): Promise<NodeRuntime> {
  if (requested !== 'simulated') {
    const support = processRuntimeSupport();
    if (!support.ok) {
      if (requested === 'process') throw new Error(`--runtime process: ${support.reason}`);
      opts.log(`ordinal: pods use the simulated runtime (no processes run): ${support.reason}`);
    } else {
      const network = new PodNetwork({ podCIDR: opts.podCIDR, serviceCIDR: opts.serviceCIDR, dataDir: opts.dataDir });
      // The node agent starts the runtime (bridge, routes, re-attachment) when it starts.
      const runtime = new ProcessRuntime({ dataDir: opts.dataDir, network, log: opts.log });
      return { runtime, nodeIP: network.bridgeAddress, bridgeAddress: network.bridgeAddress };
    }
  }
  const runtime = new SimulatedRuntime({ podCIDR: opts.podCIDR });
  return { runtime, nodeIP: '127.0.0.1' };
}
