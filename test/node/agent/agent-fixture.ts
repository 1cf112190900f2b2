// A node agent over a real in-memory Registry (in-process client) with the simulated runtime.
import { SharedInformerFactory } from '../../../src/client/shared-informer-factory.js';
import { ClientEventRecorderFactory } from '../../../src/client/event-recorder.js';
import type { KObject } from '../../../src/api/object.js';
import { mustFindResource } from '../../../src/api/resources.js';
import { startNodeAgent, type NodeAgent, type NodeAgentOptions } from '../../../src/node/agent/node-agent.js';
import { SimulatedRuntime, type SimulatedRuntimeOptions } from '../../../src/node/runtime/simulated/simulated-runtime.js';
import { memoryCluster, type TestCluster } from '../../client/cluster.js';
import { makeTempDir, removeTempDir } from '../../support/temp.js';

export const PODS = mustFindResource('', 'pods');
export const EVENTS = mustFindResource('', 'events');
export const NODES = mustFindResource('', 'nodes');
export const LEASES = mustFindResource('coordination.k8s.io', 'leases');
export const PVCS = mustFindResource('', 'persistentvolumeclaims');
export const PVS = mustFindResource('', 'persistentvolumes');

export const NODE = 'sim-node';
export const POD_CIDR = '10.77.0.0/16';

export interface AgentHarness {
  cluster: TestCluster;
  runtime: SimulatedRuntime;
  agent: NodeAgent;
  dataDir: string;
  /** Restarts the agent with a fresh runtime (a node reboot). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  extra: Partial<NodeAgentOptions> = {},
  sim: SimulatedRuntimeOptions = {},
  makeRuntime: (o: SimulatedRuntimeOptions) => SimulatedRuntime = (o) => new SimulatedRuntime(o),
): Promise<AgentHarness> {
  const cluster = memoryCluster();
  const dataDir = makeTempDir('ordinal-agent-');
  let informers: SharedInformerFactory;
  let events: ClientEventRecorderFactory;
  const boot = async (): Promise<{ runtime: SimulatedRuntime; agent: NodeAgent }> => {
    informers = new SharedInformerFactory(cluster.client);
    events = new ClientEventRecorderFactory(cluster.client, { log: () => {} });
    const runtime = makeRuntime({ podCIDR: POD_CIDR, sandboxDelayMs: 5, startDelayMs: 10, runMs: 150, ...sim });
    const agent = startNodeAgent(
      { client: cluster.client, informers, events, now: () => new Date(), options: {} },
      { nodeName: NODE, runtime, nodeIP: '127.0.0.1', clusterDNS: '10.77.0.1', clusterDomain: 'cluster.local', podCIDR: POD_CIDR, serviceCIDR: '10.96.0.0/16', dataDir, crashLoopBaseMs: 100, retryMs: 100, streaming: { port: 10250 }, log: () => {}, ...extra },
    );
    informers.start();
    await agent.ready;
    return { runtime, agent };
  };
  let cur = await boot();
  const h: AgentHarness = {
    cluster,
    dataDir,
    get runtime() {
      return cur.runtime;
    },
    get agent() {
      return cur.agent;
    },
    async restart() {
      await cur.agent.stop();
      informers.stop();
      cur = await boot();
    },
    async close() {
      await cur.agent.stop();
      informers.stop();
      await events.flush();
      cluster.close();
      removeTempDir(dataDir);
    },
  } as AgentHarness;
  return h;
}

export function pod(name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { nodeName: NODE, containers: [{ name: 'app', image: 'nginx' }], ...spec },
  };
}

export type J = Record<string, any>;

export async function getPod(h: AgentHarness, name: string): Promise<J> {
  return (await h.cluster.client.get(PODS, 'default', name)) as J;
}

export function condition(p: J, type: string): J | undefined {
  return (p.status?.conditions ?? []).find((c: J) => c.type === type);
}

export async function podEvents(h: AgentHarness, name: string): Promise<J[]> {
  const list = await h.cluster.client.list(EVENTS, 'default');
  return (list.items as J[]).filter((e) => e.involvedObject?.name === name);
}

/** Polls the pod until `pred` holds; resolves to it. */
export async function waitPod(h: AgentHarness, name: string, pred: (p: J) => unknown, what?: string, timeoutMs?: number, intervalMs?: number): Promise<J> {
  const { waitFor } = await import('../../support/wait.js');
  return (await waitFor(async () => {
    const p = await getPod(h, name);
    return pred(p) ? p : undefined;
  }, { what: what ?? `pod ${name}`, timeoutMs, intervalMs })) as J;
}
