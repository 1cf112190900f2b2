// Must-hold 4 over kubectl against `ordinal up` (the controller-level cases are in
// test/controllers/volume/confinement.test.ts). Values with `..` and `/` reach a path through
// the nfs-subdir `pathPattern` (the claim annotation its documentation uses,
// nfs.io/storage-path), and through static NFS sources that a pod then mounts, including a
// symlink planted inside the NFS tree (as any pod with an NFS volume could plant one). Canary
// directories of the test's own, just outside each root, must survive, and nothing may be
// created outside the roots. Only the test's temporary directories are ever named.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { holdsFor, k, kjson, snapshotTree } from './support.js';

let server: TestServer;
let outside: string;
const canaries: string[] = [];

function makeCanary(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'canary.txt');
  fs.writeFileSync(file, 'still here');
  canaries.push(file);
  return dir;
}

before(async () => {
  server = await startServer({ runtime: 'simulated' });
  const d = server.dataDir;
  // One canary beside each root: the data dir, DATA_DIR/nfs, the NFS server directory, the
  // export, and local-path.
  outside = makeCanary(path.join(path.dirname(d), 'outside'));
  makeCanary(path.join(d, 'canary'));
  makeCanary(path.join(d, 'nfs', 'canary'));
  makeCanary(path.join(d, 'nfs', '127.0.0.1', 'canary'));
  makeCanary(path.join(d, 'local-path-canary'));
  fs.mkdirSync(path.join(d, 'nfs', '127.0.0.1', 'exports'), { recursive: true });
});

after(async () => {
  await server?.dispose();
});

const allCanariesAlive = () => canaries.every((c) => fs.existsSync(c) && fs.readFileSync(c, 'utf8') === 'still here');

async function eventsFor(name: string): Promise<any[]> {
  return (await kjson(server, ['events', '--field-selector', `involvedObject.name=${name}`])).items;
}

test('pathPattern through a claim annotation: .. and / values are refused, nothing is created outside the export', async () => {
  const exportDir = path.join(server.dataDir, 'nfs', '127.0.0.1', 'exports');
  await k(server, ['apply', '-f', '-'], {
    stdin: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: by-annotation}
provisioner: k8s-sigs.io/nfs-subdir-external-provisioner
parameters:
  pathPattern: "\${.PVC.annotations.nfs.io/storage-path}"
  onDelete: delete
`,
  });
  const outsideBefore = snapshotTree(path.dirname(server.dataDir));
  const evil = ['../canary', '../../canary', '../../../canary', '../../../../outside', 'ok/../../../canary', '/', '..'];
  const claims = evil.map((v, i) => `evil-${i}`);
  await k(server, ['apply', '-f', '-'], {
    stdin: evil
      .map((v, i) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: evil-${i}
  annotations: {nfs.io/storage-path: ${JSON.stringify(v)}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: by-annotation
  resources: {requests: {storage: 1Mi}}
`)
      .join('---\n'),
  });
  for (const name of claims) {
    const ev = await waitFor(async () => (await eventsFor(name)).find((e) => e.reason === 'ProvisioningFailed'), { timeoutMs: 20_000, intervalMs: 150, what: `ProvisioningFailed for ${name}` });
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /^failed to provision volume with StorageClass "by-annotation": /);
  }
  // Window: 1 s after every claim was refused, no volume appears and the disk is unchanged.
  await holdsFor(1000, async () => {
    const pvs = (await kjson(server, ['pv'])).items.filter((p: any) => claims.includes(p.spec.claimRef?.name));
    if (pvs.length) return `a volume was provisioned: ${pvs[0].metadata.name}`;
    return fs.readdirSync(exportDir).length ? `the export gained ${fs.readdirSync(exportDir)}` : undefined;
  }, 200);
  for (const name of claims) assert.equal((await kjson(server, ['pvc', name])).status.phase, 'Pending');
  const afterTree = snapshotTree(path.dirname(server.dataDir));
  // (kubectl's own cache under the test's temp root changes as it likes.)
  const created = Object.keys(afterTree).filter((p) => !(p in outsideBefore) && !p.startsWith(`${path.basename(server.dataDir)}/`) && !p.startsWith('kube-cache-'));
  assert.deepEqual(created, [], 'nothing new outside the data dir');
  assert.ok(allCanariesAlive());

  // A good value nests below the export, and deleting the claim removes only that directory.
  await k(server, ['apply', '-f', '-'], {
    stdin: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nested
  annotations: {nfs.io/storage-path: team/a}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: by-annotation
  resources: {requests: {storage: 1Mi}}
`,
  });
  const bound = await waitFor(async () => {
    const c = await kjson(server, ['pvc', 'nested']);
    return c.status.phase === 'Bound' ? c : undefined;
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'nested Bound' });
  assert.deepEqual((await kjson(server, ['pv', bound.spec.volumeName])).spec.nfs, { server: '127.0.0.1', path: '/exports/team/a' });
  assert.ok(fs.statSync(path.join(exportDir, 'team', 'a')).isDirectory());
  await k(server, ['delete', 'pvc', 'nested']);
  await waitFor(async () => !(await server.kubectl(['get', 'pv', bound.spec.volumeName])).code ? undefined : true, { timeoutMs: 20_000, intervalMs: 150, what: 'nested PV gone' });
  assert.ok(!fs.existsSync(path.join(exportDir, 'team', 'a')) && fs.existsSync(path.join(exportDir, 'team')));
  assert.ok(allCanariesAlive());
});

test('static NFS sources a pod mounts: .. in the path or server, and a planted symlink, never reach outside DATA_DIR/nfs', async () => {
  const nfsRoot = path.join(server.dataDir, 'nfs');
  // A symlink inside the NFS tree pointing outside the data dir, as a pod could plant in its volume.
  fs.mkdirSync(path.join(nfsRoot, '10.1.1.1', 'share'), { recursive: true });
  fs.symlinkSync(outside, path.join(nfsRoot, '10.1.1.1', 'share', 'link'));
  const outsideBefore = snapshotTree(outside);
  const cases: [string, string, string][] = [
    ['dotdot', '10.1.1.1', '/../../../outside/new'],
    ['server-dotdot', '..', '/outside/new'],
    ['via-link', '10.1.1.1', '/share/link/new'],
    ['link-itself', '10.1.1.1', '/share/link'],
  ];
  const docs = cases.map(([name, srv, p]) => `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  nfs: {server: ${JSON.stringify(srv)}, path: ${JSON.stringify(p)}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: for-${name}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  volumeName: ${name}
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: mounts-${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: for-${name}}
`);
  await k(server, ['apply', '-f', '-'], { stdin: docs.join('---\n') });
  for (const [name] of cases) {
    const ev = await waitFor(async () => (await eventsFor(`mounts-${name}`)).find((e) => e.reason === 'FailedMount'), { timeoutMs: 20_000, intervalMs: 150, what: `FailedMount for mounts-${name}` });
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /^Unable to attach or mount volumes: unmounted volumes=\[data\]: /);
  }
  // Window: 1 s after every pod was refused, none runs and nothing appeared outside.
  await holdsFor(1000, async () => {
    for (const [name] of cases) {
      const pod = await kjson(server, ['pod', `mounts-${name}`]);
      if (pod.status.phase !== 'Pending') return `mounts-${name} is ${pod.status.phase}`;
    }
    return JSON.stringify(snapshotTree(outside)) !== JSON.stringify(outsideBefore) ? `something was created in ${outside}` : undefined;
  }, 200);
  assert.ok(!fs.existsSync(path.join(path.dirname(server.dataDir), 'outside', 'new')));
  assert.ok(allCanariesAlive());
  await k(server, ['delete', 'pod', ...cases.map(([name]) => `mounts-${name}`), '--wait=false']);
});

test('local-path: the default class provisions below DATA_DIR/local-path and deleting removes only that directory', async () => {
  const root = path.join(server.dataDir, 'local-path');
  await k(server, ['apply', '-f', '-'], {
    stdin: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: local}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: uses-local}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: local}
`,
  });
  const claim = await waitFor(async () => {
    const c = await kjson(server, ['pvc', 'local']);
    return c.status.phase === 'Bound' ? c : undefined;
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'local Bound (after the scheduler picked the node)' });
  const pv = await kjson(server, ['pv', claim.spec.volumeName]);
  const dir = pv.spec.hostPath.path as string;
  assert.equal(path.dirname(dir), root);
  assert.equal(path.basename(dir), `${claim.spec.volumeName}_default_local`);
  fs.writeFileSync(path.join(dir, 'data'), 'x');
  await k(server, ['delete', 'pod', 'uses-local']);
  await k(server, ['delete', 'pvc', 'local']);
  await waitFor(async () => ((await server.kubectl(['get', 'pv', claim.spec.volumeName])).code ? true : undefined), { timeoutMs: 20_000, intervalMs: 150, what: 'the local PV deleted' });
  assert.ok(!fs.existsSync(dir));
  assert.ok(fs.existsSync(root), 'the root itself stays');
  assert.ok(allCanariesAlive());
});
