// The Node object this agent registers and keeps current, shaped as a kubelet 1.33 (on a
// kind-like single-node cluster) writes it: labels, capacity and allocatable, the four
// conditions, addresses, daemon endpoint and nodeInfo.

import type { JsonObject, KObject } from '../../../api/object.js';
import type { NodeFacts } from './node-facts.js';

type J = JsonObject;

export const KUBELET_VERSION = 'v1.33.0';
export const MAX_PODS = 110;
/** The kubelet's default hard eviction thresholds, kept back from allocatable. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_NODEFS_FRACTION = 0.1;

export interface NodeIdentity {
  name: string;
  nodeIP: string;
  hostname: string;
  streamingPort: number;
  runtimeVersion: string;
  podCIDR?: string;
}

const ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

export function nodeCapacity(f: NodeFacts): Record<string, string> {
  return {
    cpu: String(f.cpus),
    'ephemeral-storage': ki(f.ephemeralStorageBytes),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: ki(f.memoryBytes),
    pods: String(MAX_PODS),
  };
}

export function nodeAllocatable(f: NodeFacts): Record<string, string> {
  return {
    cpu: String(f.cpus),
    'ephemeral-storage': String(Math.floor(f.ephemeralStorageBytes * (1 - EVICTION_NODEFS_FRACTION))),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: ki(Math.max(0, f.memoryBytes - EVICTION_MEMORY_BYTES)),
    pods: String(MAX_PODS),
  };
}

export function nodeLabels(id: NodeIdentity, f: NodeFacts): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': f.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': f.architecture,
    'kubernetes.io/hostname': id.hostname,
    'kubernetes.io/os': 'linux',
    // One node runs everything here, as kind's single node does.
    'node-role.kubernetes.io/control-plane': '',
  };
}

const CONDITIONS: [string, string, string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** Conditions with heartbeat = now; transition times kept from `previous` while unchanged. */
export function nodeConditions(now: string, previous: J[] = []): J[] {
  return CONDITIONS.map(([type, status, reason, message]) => {
    const prev = previous.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === status && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
}

export function nodeStatus(id: NodeIdentity, f: NodeFacts, now: string, previous: J[] = []): J {
  return {
    capacity: nodeCapacity(f),
    allocatable: nodeAllocatable(f),
    conditions: nodeConditions(now, previous),
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.streamingPort } },
    nodeInfo: {
      machineID: f.machineID,
      systemUUID: f.systemUUID,
      bootID: f.bootID,
      kernelVersion: f.kernelVersion,
      osImage: f.osImage,
      containerRuntimeVersion: id.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: f.architecture,
    },
  };
}

export function newNodeObject(id: NodeIdentity, f: NodeFacts, now: string): KObject {
  const spec: J = {};
  if (id.podCIDR) {
    spec.podCIDR = id.podCIDR;
    spec.podCIDRs = [id.podCIDR];
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id, f),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
    status: nodeStatus(id, f, now),
  };
}
