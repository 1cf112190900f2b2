// Shared pieces of the StatefulSet integration tests: the manifest, a namespace per test,
// and reads of the set and its revisions through the raw API.
import { startServer, type TestServer } from '../../../support/server.js';
import { expectOk } from '../../../support/expect.js';
import { waitFor } from '../../../support/wait.js';
import { PodReadiness } from './pod-readiness.js';

export const IMAGE_A = 'registry.k8s.io/nginx-slim:0.8';
export const IMAGE_B = 'registry.k8s.io/nginx-slim:0.9';

export interface SetManifest {
  ns: string;
  name?: string;
  replicas?: number;
  image?: string;
  policy?: 'OrderedReady' | 'Parallel';
  partition?: number;
  whenDeleted?: 'Retain' | 'Delete';
  whenScaled?: 'Retain' | 'Delete';
}

/** The tutorial's `web` set: headless service `nginx`, claim template `www`. */
export function setYaml(m: SetManifest): string {
  const policy = m.whenDeleted || m.whenScaled
    ? `  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: ${m.whenDeleted ?? 'Retain'}\n    whenScaled: ${m.whenScaled ?? 'Retain'}\n`
    : '';
  const strategy = m.partition !== undefined
    ? `  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: ${m.partition}\n`
    : '';
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${m.name ?? 'web'}
  namespace: ${m.ns}
spec:
  serviceName: nginx
  replicas: ${m.replicas ?? 3}
  podManagementPolicy: ${m.policy ?? 'OrderedReady'}
${strategy}${policy}  selector:
    matchLabels:
      app: ${m.name ?? 'web'}
  template:
    metadata:
      labels:
        app: ${m.name ?? 'web'}
    spec:
      containers:
      - name: nginx
        image: ${m.image ?? IMAGE_A}
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;
}

/** A server without scheduler and node agent: the tests play the kubelet through the status API. */
export function startControllerServer(): Promise<TestServer> {
  return startServer({ extraArgs: ['--disable', 'scheduler,node'] });
}

export async function createNamespace(server: TestServer, ns: string): Promise<void> {
  expectOk(await server.kubectl(['create', 'namespace', ns]), `create namespace ${ns}`);
}

/** A namespace with a pod watcher running in it. */
export async function namespaceWithReadiness(server: TestServer, ns: string): Promise<PodReadiness> {
  await createNamespace(server, ns);
  const r = new PodReadiness(server.api(), ns);
  await r.start();
  return r;
}

export async function applySet(server: TestServer, m: SetManifest): Promise<void> {
  expectOk(await server.kubectl(['apply', '-f', '-'], { stdin: setYaml(m) }), `apply statefulset ${m.name ?? 'web'}`);
}

export async function getSet(server: TestServer, ns: string, name = 'web'): Promise<any> {
  const r = await server.api().get(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`);
  if (r.status !== 200) throw new Error(`get statefulset ${ns}/${name}: ${r.status} ${r.text}`);
  return r.json;
}

export async function listNames(server: TestServer, path: string): Promise<string[]> {
  const r = await server.api().get(path);
  if (r.status !== 200) throw new Error(`list ${path}: ${r.status} ${r.text}`);
  return (r.json.items as any[]).map((o) => o.metadata.name as string).sort();
}

export async function revisions(server: TestServer, ns: string): Promise<any[]> {
  const r = await server.api().get(`/apis/apps/v1/namespaces/${ns}/controllerrevisions`);
  return (r.json.items as any[]).sort((a, b) => a.revision - b.revision);
}

/** Waits until the set's status says every replica is on the update revision, ready, and current. */
export async function waitRolledOut(server: TestServer, ns: string, replicas: number, name = 'web', timeoutMs = 30_000): Promise<any> {
  return waitFor(async () => {
    const s = await getSet(server, ns, name);
    const st = s.status ?? {};
    const ok = st.observedGeneration === s.metadata.generation && st.replicas === replicas && st.readyReplicas === replicas &&
      st.updatedReplicas === replicas && st.currentReplicas === replicas && st.currentRevision === st.updateRevision;
    return ok ? s : undefined;
  }, { timeoutMs, what: `statefulset ${ns}/${name} rolled out with ${replicas} replicas` });
}
