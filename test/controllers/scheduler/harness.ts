// The scheduler against a real in-memory Registry through the in-process client, shared
// informers and the real event recorder: the path `ordinal up` wires, minus HTTP.

import type { KObject } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import { startSchedulerWith, type SchedulerOptions } from '../../../src/controllers/scheduler/index.js';
import type { InProcessClient } from '../../../src/registry/in-process-client.js';
import { inMemoryCluster } from '../../support/in-memory-cluster.js';
import { waitFor } from '../../support/wait.js';

export const R = {
  pods: mustFindResource('', 'pods'),
  nodes: mustFindResource('', 'nodes'),
  events: mustFindResource('', 'events'),
  pvcs: mustFindResource('', 'persistentvolumeclaims'),
  pvs: mustFindResource('', 'persistentvolumes'),
  classes: mustFindResource('storage.k8s.io', 'storageclasses'),
};

export const poll = { intervalMs: 20, timeoutMs: 8000 };

export interface Cluster {
  client: InProcessClient;
  create(res: ResourceInfo, obj: KObject): Promise<KObject>;
  get(res: ResourceInfo, name: string): Promise<KObject>;
  /** Resolves to the object, or undefined once it is gone. */
  tryGet(res: ResourceInfo, name: string): Promise<KObject | undefined>;
  /** Resolves once the pod has a node, to that node's name. */
  waitBound(pod: string): Promise<string>;
  /** Resolves to the PodScheduled=False condition once the pod has one. */
  waitUnschedulable(pod: string, message?: string): Promise<Record<string, unknown>>;
  /** Fails if the pod gets a node within `ms`. */
  assertStaysUnbound(pod: string, ms: number): Promise<void>;
  /** Events about a pod, once they are written. */
  eventsFor(pod: string): Promise<KObject[]>;
  setReady(node: string, ready: 'True' | 'False'): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(opts: SchedulerOptions = {}): Promise<Cluster> {
  const cluster = inMemoryCluster({ events: 'write' });
  const { client, recorders: events } = cluster;
  cluster.run(startSchedulerWith(cluster.ctx(), { log: () => undefined, ...opts }));
  await cluster.start();

  const get = (res: ResourceInfo, name: string) => cluster.get(res, name);
  const nodeOf = (p: KObject) => (p.spec as { nodeName?: string }).nodeName;
  const conditionOf = (p: KObject) =>
    ((p.status as { conditions?: Record<string, unknown>[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');

  return {
    client,
    create: (res, obj) => cluster.create(res, obj),
    get,
    tryGet: (res, name) => cluster.tryGet(res, name),
    waitBound: (pod) => waitFor(async () => nodeOf(await get(R.pods, pod)), { ...poll, what: `pod ${pod} to be bound` }),
    waitUnschedulable: (pod, message) =>
      waitFor(
        async () => {
          const c = conditionOf(await get(R.pods, pod));
          return c && c.status === 'False' && (message === undefined || c.message === message) ? c : undefined;
        },
        { ...poll, what: `pod ${pod} to be PodScheduled=False${message ? ` with "${message}"` : ''}` },
      ),
    async assertStaysUnbound(pod, ms) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const n = nodeOf(await get(R.pods, pod));
        if (n) throw new Error(`pod ${pod} was bound to ${n}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async eventsFor(pod) {
      await events.flush();
      const list = await client.list(R.events, 'default');
      return list.items.filter((e) => (e.involvedObject as { name?: string }).name === pod);
    },
    async setReady(node, ready) {
      await client.patch(R.nodes, undefined, node, 'strategic', { status: { conditions: [{ type: 'Ready', status: ready, reason: 'Test' }] } }, { subresource: 'status' });
    },
    close: () => cluster.close(),
  };
}

/** Resolves to the object, or undefined once it is gone. */
export async function tryGet(c: Cluster, res: ResourceInfo, name: string): Promise<KObject | undefined> {
  return c.tryGet(res, name);
}

export interface NodeOpts {
  ready?: 'True' | 'False' | 'Unknown' | 'none';
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
}

export function node(name: string, o: NodeOpts = {}): KObject {
  const ready = o.ready ?? 'True';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: ready === 'none' ? {} : { conditions: [{ type: 'Ready', status: ready, reason: 'Test' }] },
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

export function podWithClaim(name: string, claim: string, spec: Record<string, unknown> = {}): KObject {
  return pod(name, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }], ...spec });
}

export function claim(name: string, storageClassName?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      ...(storageClassName !== undefined ? { storageClassName } : {}),
    },
  };
}

export function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'example.com/test'): KObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: mode };
}

export function volume(name: string, opts: { onNode?: string; storageClassName?: string; claimRef?: KObject } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: `/tmp/never-used/${name}` },
      ...(opts.storageClassName ? { storageClassName: opts.storageClassName } : {}),
      ...(opts.onNode
        ? {
            nodeAffinity: {
              required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.onNode] }] }] },
            },
          }
        : {}),
      ...(opts.claimRef
        ? { claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: opts.claimRef.metadata.name, uid: opts.claimRef.metadata.uid } }
        : {}),
    },
  };
}

/** What the PV controller does when it binds: volumeName on the claim, then phase Bound. */
export async function bindClaim(c: Cluster, claimName: string, pvName: string): Promise<void> {
  await c.client.patch(R.pvcs, 'default', claimName, 'merge', { spec: { volumeName: pvName } });
  await c.client.patch(R.pvcs, 'default', claimName, 'merge', { status: { phase: 'Bound' } }, { subresource: 'status' });
}

export const preemption = (n: number) => `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
