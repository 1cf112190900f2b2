// Both endpoint controllers (and, when asked, the garbage collector) against a real in-memory
// Registry through the in-process client and shared informers: the path `ordinal up` wires.

import type { KObject } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import type { Client } from '../../../src/client/types.js';
import { startEndpointSliceControllerWith, startEndpointsController } from '../../../src/controllers/endpointslice/index.js';
import { startGarbageCollector } from '../../../src/controllers/garbagecollector/index.js';
import type { InProcessClient } from '../../../src/registry/in-process-client.js';
import { inMemoryCluster } from '../../support/in-memory-cluster.js';
import { waitFor } from '../../support/wait.js';

export const R = {
  pods: mustFindResource('', 'pods'),
  services: mustFindResource('', 'services'),
  nodes: mustFindResource('', 'nodes'),
  endpoints: mustFindResource('', 'endpoints'),
  slices: mustFindResource('discovery.k8s.io', 'endpointslices'),
};

export const poll = { intervalMs: 15, timeoutMs: 8000 };

export interface Cluster {
  client: InProcessClient;
  /** Every create, update and delete the controllers sent, as `verb plural/name`. */
  writes: string[];
  create(res: ResourceInfo, obj: KObject, ns?: string): Promise<KObject>;
  tryGet(res: ResourceInfo, name: string, ns?: string): Promise<KObject | undefined>;
  /** The Service's EndpointSlices, read from the server. */
  slices(service: string, ns?: string): Promise<KObject[]>;
  /** Sets podIPs and the Ready condition, as a node agent would. */
  setPodStatus(name: string, s: { ip?: string; ready: boolean; ns?: string }): Promise<KObject>;
  close(): Promise<void>;
}

export async function startCluster(opts: { gc?: boolean; seed?: (client: InProcessClient) => Promise<void> } = {}): Promise<Cluster> {
  const cluster = inMemoryCluster();
  const { client, create, tryGet } = cluster;
  // Objects that exist before the controllers start (what a restart finds).
  await opts.seed?.(client);
  const writes: string[] = [];
  const ctx = cluster.ctx({ client: recordingWrites(client, writes) });
  cluster.run(startEndpointSliceControllerWith(ctx, { sliceChangeDelayMs: 20 }));
  cluster.run(startEndpointsController(ctx));
  if (opts.gc) cluster.run(startGarbageCollector(ctx));
  await cluster.start();
  let transitions = 0;
  return {
    client,
    writes,
    create,
    tryGet,
    slices: async (service, ns = 'default') =>
      (await client.list(R.slices, ns, { labelSelector: `kubernetes.io/service-name=${service}` })).items,
    async setPodStatus(name, s) {
      const ns = s.ns ?? 'default';
      const pod = await client.get(R.pods, ns, name);
      // Distinct, increasing transition times make the trigger-time annotation observable.
      const at = new Date(Date.UTC(2030, 0, 1, 0, 0, ++transitions)).toISOString().replace('.000Z', 'Z');
      pod.status = {
        ...(pod.status as object),
        phase: 'Running',
        ...(s.ip ? { podIP: s.ip, podIPs: [{ ip: s.ip }] } : {}),
        conditions: [{ type: 'Ready', status: s.ready ? 'True' : 'False', lastTransitionTime: at }],
      };
      return client.updateStatus(R.pods, ns, pod);
    },
    close: () => cluster.close(),
  };
}

/** The client the controllers use: the same one, noting every write they make. */
function recordingWrites(client: Client, writes: string[]): Client {
  const nameOf = (obj: KObject) => obj.metadata.name ?? `${obj.metadata.generateName ?? ''}*`;
  return {
    get: (...a) => client.get(...a),
    list: (...a) => client.list(...a),
    watch: (...a) => client.watch(...a),
    bind: (...a) => client.bind(...a),
    finalizeNamespace: (...a) => client.finalizeNamespace(...a),
    patch: (...a) => client.patch(...a),
    updateStatus: (...a) => client.updateStatus(...a),
    create: (res, ns, obj, o) => (writes.push(`create ${res.plural}/${nameOf(obj)}`), client.create(res, ns, obj, o)),
    update: (res, ns, obj, o) => (writes.push(`update ${res.plural}/${nameOf(obj)}`), client.update(res, ns, obj, o)),
    delete: (res, ns, name, o) => (writes.push(`delete ${res.plural}/${name}`), client.delete(res, ns, name, o)),
  };
}

export function node(name: string, zone?: string): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, ...(zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}) } };
}

export interface PodOptions {
  labels?: Record<string, string>;
  hostname?: string;
  subdomain?: string;
  nodeName?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

export function pod(name: string, o: PodOptions = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: o.labels ?? { app: 'web' } },
    spec: {
      nodeName: o.nodeName ?? 'node-1',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'c', image: 'python:3.7', ...(o.ports ? { ports: o.ports } : {}) }],
    },
  };
}

/** The tutorial's headless Service: port 8080 to target port 80, clusterIP None. */
export function headlessService(name = 'examplestatefulservice', extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: 'examplestatefulset' } },
    spec: { clusterIP: 'None', selector: { app: 'examplestatefulset' }, ports: [{ port: 8080, targetPort: 80 }], ...extra },
  };
}

/** A StatefulSet-style pod of the tutorial's set. */
export function setPod(ordinal: number, service = 'examplestatefulservice'): KObject {
  return pod(`examplestatefulset-${ordinal}`, {
    labels: { app: 'examplestatefulset' },
    hostname: `examplestatefulset-${ordinal}`,
    subdomain: service,
    ports: [{ containerPort: 80 }],
  });
}

/** All endpoints of the Service's slices, by pod name. */
export function endpointsByPod(slices: KObject[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const s of slices) {
    for (const ep of (s.endpoints as Record<string, unknown>[] | null) ?? []) out.set(String((ep.targetRef as { name: string }).name), ep);
  }
  return out;
}

/** Polls the Service's slices until `check` holds; returns them. */
export async function waitSlices(c: Cluster, service: string, check: (slices: KObject[]) => boolean, what: string): Promise<KObject[]> {
  return waitFor(async () => {
    const s = await c.slices(service);
    return check(s) ? s : undefined;
  }, { ...poll, what });
}

export async function waitEndpoints(c: Cluster, service: string, check: (ep: KObject) => boolean, what: string): Promise<KObject> {
  return waitFor(async () => {
    const ep = await c.tryGet(R.endpoints, service);
    return ep && check(ep) ? ep : undefined;
  }, { ...poll, what });
}
