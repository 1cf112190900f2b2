// StatefulSet controller figures on this machine, against a real `ordinal up` (scheduler and
// node agent off): the bench itself plays the kubelet, marking every new pod Running and
// Ready through the status API the moment its watch sees it. Prints figures; asserts nothing.
//   - OrderedReady, 100 replicas: time until all are Ready (and per ordinal);
//   - Parallel, 1,000 replicas: time until all are Ready;
//   - a rolling update (image change) of the 100-replica OrderedReady set.
import { performance } from 'node:perf_hooks';
import type { ApiClient, WatchStream } from '../test/support/api-client.js';
import { startServer, type TestServer } from '../test/support/server.js';
import { readyStatus } from '../test/controllers/statefulset/integration/pod-readiness.js';

const ORDERED = 100;
const PARALLEL = 1000;
const IMAGE_A = 'registry.k8s.io/nginx-slim:0.8';
const IMAGE_B = 'registry.k8s.io/nginx-slim:0.9';

const report = (what: string, value: string) => console.log(`  ${what}: ${value}`);
const ms = (x: number) => `${x.toFixed(0)} ms`;

function setBody(ns: string, name: string, replicas: number, policy: 'OrderedReady' | 'Parallel'): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      serviceName: name,
      replicas,
      podManagementPolicy: policy,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: IMAGE_A, volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

/** Marks each new pod of a namespace Ready as soon as the watch delivers it. */
async function autoReady(api: ApiClient, ns: string): Promise<WatchStream> {
  const done = new Set<string>();
  const mark = async (pod: any) => {
    const path = `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`;
    for (let attempt = 0; attempt < 5; attempt++) {
      pod.status = readyStatus(pod);
      const r = await api.put(path, pod);
      if (r.status === 200 || r.status === 404) return;
      if (r.status !== 409) throw new Error(`mark ${pod.metadata.name} ready: ${r.status} ${r.text}`);
      const fresh = await api.get(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`);
      if (fresh.status !== 200 || fresh.json.metadata.uid !== pod.metadata.uid) return;
      pod = fresh.json;
    }
  };
  return api.watch(`/api/v1/namespaces/${ns}/pods?watch=true`, {}, (e) => {
    const pod = e.object;
    if (e.type === 'DELETED' || !pod?.metadata || pod.metadata.deletionTimestamp || done.has(pod.metadata.uid)) return;
    done.add(pod.metadata.uid);
    mark(pod).catch((err) => console.error(`  ${(err as Error).message}`));
  });
}

/** Resolves with the time at which the set's status first satisfies `pred` (watched, not polled). */
function whenStatus(api: ApiClient, ns: string, name: string, pred: (s: any) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let stream: WatchStream | undefined;
    let settled = false;
    const check = (s: any) => {
      if (settled || !s?.status || !pred(s)) return;
      settled = true;
      const t = performance.now();
      stream?.close();
      resolve(t);
    };
    api.watch(`/apis/apps/v1/namespaces/${ns}/statefulsets?watch=true&fieldSelector=metadata.name%3D${name}`, {}, (e) => check(e.object))
      .then((s) => {
        stream = s;
        if (settled) s.close();
      }, reject);
  });
}

const rolledOut = (n: number) => (s: any) =>
  s.status.observedGeneration === s.metadata.generation && s.status.readyReplicas === n && s.status.updatedReplicas === n &&
  s.status.currentReplicas === n && s.status.currentRevision === s.status.updateRevision;

async function namespace(api: ApiClient, ns: string): Promise<void> {
  const r = await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  if (r.status !== 201) throw new Error(`create namespace ${ns}: ${r.status} ${r.text}`);
}

async function createSet(api: ApiClient, ns: string, name: string, replicas: number, policy: 'OrderedReady' | 'Parallel'): Promise<number> {
  const t0 = performance.now();
  const r = await api.post(`/apis/apps/v1/namespaces/${ns}/statefulsets`, setBody(ns, name, replicas, policy));
  if (r.status !== 201) throw new Error(`create statefulset: ${r.status} ${r.text}`);
  return t0;
}

async function benchOrdered(api: ApiClient): Promise<void> {
  const ns = 'bench-ordered';
  await namespace(api, ns);
  const watch = await autoReady(api, ns);
  try {
    const ready = whenStatus(api, ns, 'web', rolledOut(ORDERED));
    const t0 = await createSet(api, ns, 'web', ORDERED, 'OrderedReady');
    const total = (await ready) - t0;
    report(`OrderedReady, ${ORDERED} replicas, all Ready`, `${ms(total)} (${(total / ORDERED).toFixed(2)} ms per ordinal; target < 10)`);

    const updated = whenStatus(api, ns, 'web', (s) => s.metadata.generation > 1 && rolledOut(ORDERED)(s));
    const t1 = performance.now();
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: IMAGE_B }] } } } };
    const r = await api.request('PATCH', `/apis/apps/v1/namespaces/${ns}/statefulsets/web`, { body: patch, contentType: 'application/strategic-merge-patch+json' });
    if (r.status !== 200) throw new Error(`patch image: ${r.status} ${r.text}`);
    const roll = (await updated) - t1;
    report(`rolling update, ${ORDERED} replicas, image change to all Ready`, `${ms(roll)} (${(roll / ORDERED).toFixed(2)} ms per pod)`);
  } finally {
    watch.close();
  }
}

async function benchParallel(api: ApiClient): Promise<void> {
  const ns = 'bench-parallel';
  await namespace(api, ns);
  const watch = await autoReady(api, ns);
  try {
    const ready = whenStatus(api, ns, 'burst', rolledOut(PARALLEL));
    const t0 = await createSet(api, ns, 'burst', PARALLEL, 'Parallel');
    const total = (await ready) - t0;
    report(`Parallel, ${PARALLEL} replicas, all Ready`, `${ms(total)} (target < 5000 ms)`);
  } finally {
    watch.close();
  }
}

async function main(): Promise<void> {
  let server: TestServer | undefined;
  try {
    server = await startServer({ extraArgs: ['--disable', 'scheduler,node'] });
    const api = server.api();
    console.log('StatefulSet controller (in-process, 5 workers; pods marked Ready by the bench through the status API)');
    await benchOrdered(api);
    await benchParallel(api);
  } finally {
    await server?.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
