// Must-hold 1, the tutorial's stable storage with real processes: `kubectl apply -f
// examplestatefulset.yml` against `ordinal up` with the `managed-nfs-storage` class
// (fuseim.pri/ifs). The pods really run the tutorial's `sh -c` line, which appends
// "The host is $(hostname)" to /dir/data on their NFS-subdir volume, so every step can be
// checked on disk under DATA_DIR/nfs/127.0.0.1/exports (the default --nfs-server and
// --nfs-export-path) and inside the pod with `kubectl exec`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { pickFreeRanges, rootSkipReason } from '../../node/network/host-support.js';
import { fixture, holdsFor, k, kget, kjson, parseTables, waitGone, waitPodReady } from './support.js';

const skip = rootSkipReason();
let server: TestServer;
let exportDir: string;

const STS = 'examplestatefulset';
const CLASS = 'managed-nfs-storage';
const claimName = (i: number) => `statefuldata-${STS}-${i}`;
const line = (i: number) => `The host is ${STS}-${i}\n`;
/** The claim's uid → its PV `pvc-<uid>` → the tutorial's directory name. */
const dirOf = (claim: any) => `default-${claim.metadata.name}-pvc-${claim.metadata.uid}`;
const dataFile = (claim: any) => path.join(exportDir, dirOf(claim), 'data');
const readData = (claim: any) => (fs.existsSync(dataFile(claim)) ? fs.readFileSync(dataFile(claim), 'utf8') : '');

async function waitData(claim: any, want: string, what: string): Promise<void> {
  await waitFor(() => readData(claim) === want, { timeoutMs: 20_000, intervalMs: 100, what: `${what}: ${dataFile(claim)} = ${JSON.stringify(want)} (has ${JSON.stringify(readData(claim))})` });
}

async function waitReadyReplicas(n: number): Promise<void> {
  await waitFor(
    async () => {
      const sts = await kjson(server, ['sts', STS]);
      return sts.status?.readyReplicas === n && sts.status?.replicas === n && sts.status?.currentReplicas === n ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `${STS} with ${n} ready replicas` },
  );
}

before(async () => {
  if (skip) return;
  const [podCidr, serviceCidr] = await pickFreeRanges(2);
  server = await startServer({ runtime: 'process', podCidr, serviceCidr });
  exportDir = path.join(server.dataDir, 'nfs', '127.0.0.1', 'exports');
});

after(async () => {
  await server?.dispose();
});

test('apply examplestatefulset.yml: three claims Bound to pvc-<uid> volumes of 200Mi in directories named as in the tutorial', { skip }, async () => {
  assert.equal((await k(server, ['apply', '-f', fixture('managed-nfs-storage.yml')])).trim(), `storageclass.storage.k8s.io/${CLASS} created`);
  assert.equal((await k(server, ['apply', '-f', fixture('examplestatefulset.yml')])).trim(), `service/examplestatefulservice created\nstatefulset.apps/${STS} created`);
  await waitReadyReplicas(3);

  const claims = (await kjson(server, ['pvc'])).items.filter((c: any) => c.metadata.name.startsWith('statefuldata-'));
  assert.deepEqual(claims.map((c: any) => c.metadata.name).sort(), [0, 1, 2].map(claimName));
  const byName = new Map<string, any>(claims.map((c: any) => [c.metadata.name, c]));
  for (const c of claims) {
    assert.equal(c.status.phase, 'Bound', c.metadata.name);
    assert.equal(c.spec.volumeName, `pvc-${c.metadata.uid}`);
    assert.deepEqual(c.status.capacity, { storage: '200Mi' });
    assert.deepEqual(c.status.accessModes, ['ReadWriteOnce']);
    assert.equal(c.spec.storageClassName, CLASS);
    assert.equal(c.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(c.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'fuseim.pri/ifs');
    const pv = await kjson(server, ['pv', c.spec.volumeName]);
    assert.equal(pv.status.phase, 'Bound');
    assert.deepEqual(pv.spec.capacity, { storage: '200Mi' });
    assert.deepEqual(pv.spec.accessModes, ['ReadWriteOnce']);
    assert.equal(pv.spec.storageClassName, CLASS);
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(pv.spec.nfs, { server: '127.0.0.1', path: `/exports/${dirOf(c)}` });
    assert.deepEqual(pv.spec.claimRef && [pv.spec.claimRef.namespace, pv.spec.claimRef.name, pv.spec.claimRef.uid], ['default', c.metadata.name, c.metadata.uid]);
  }

  // `kubectl get pv,pvc`: the columns of upstream's printers (1.33, with VOLUMEATTRIBUTESCLASS).
  const [pvTable, pvcTable] = parseTables(await k(server, ['get', 'pv,pvc']));
  assert.deepEqual(pvTable!.header, ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
  assert.deepEqual(pvcTable!.header, ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
  assert.equal(pvTable!.rows.length, 3);
  for (const row of pvTable!.rows) {
    const c = byName.get(row.CLAIM!.replace(/^default\//, ''));
    assert.ok(c, `PV row names one of the claims: ${JSON.stringify(row)}`);
    assert.deepEqual({ ...row, AGE: undefined }, {
      NAME: `persistentvolume/pvc-${c.metadata.uid}`,
      CAPACITY: '200Mi',
      'ACCESS MODES': 'RWO',
      'RECLAIM POLICY': 'Delete',
      STATUS: 'Bound',
      CLAIM: `default/${c.metadata.name}`,
      STORAGECLASS: CLASS,
      VOLUMEATTRIBUTESCLASS: '<unset>',
      REASON: '',
      AGE: undefined,
    });
    assert.match(row.AGE!, /^\d+s$/);
  }
  assert.deepEqual(pvcTable!.rows.map((r) => ({ ...r, AGE: undefined })), [0, 1, 2].map((i) => {
    const c = byName.get(claimName(i));
    return {
      NAME: `persistentvolumeclaim/${claimName(i)}`,
      STATUS: 'Bound',
      VOLUME: `pvc-${c.metadata.uid}`,
      CAPACITY: '200Mi',
      'ACCESS MODES': 'RWO',
      STORAGECLASS: CLASS,
      VOLUMEATTRIBUTESCLASS: '<unset>',
      AGE: undefined,
    };
  }));

  // `kubectl describe pv` reads as in the tutorial.
  const c2 = byName.get(claimName(2));
  const described = await k(server, ['describe', 'pv', `pvc-${c2.metadata.uid}`]);
  assert.match(described, /^Annotations:\s+pv\.kubernetes\.io\/provisioned-by: fuseim\.pri\/ifs$/m);
  assert.match(described, /^Finalizers:\s+\[kubernetes\.io\/pv-protection\]$/m);
  assert.match(described, /^StorageClass:\s+managed-nfs-storage$/m);
  assert.match(described, new RegExp(`^Claim:\\s+default/${claimName(2)}$`, 'm'));
  assert.match(described, /^\s+Type:\s+NFS \(an NFS mount that lasts the lifetime of a pod\)$/m);
  assert.match(described, /^\s+Server:\s+127\.0\.0\.1$/m);
  assert.match(described, new RegExp(`^\\s+Path:\\s+/exports/${dirOf(c2)}$`, 'm'));

  // Three directories on the export, named as in the tutorial, each with its pod's line.
  assert.deepEqual(fs.readdirSync(exportDir).sort(), claims.map(dirOf).sort());
  for (const i of [0, 1, 2]) await waitData(byName.get(claimName(i)), line(i), `pod ${i} wrote its line`);
});

test('delete pod 1: it comes back with the same claim, and its volume holds the data from before plus a new line', { skip }, async () => {
  const claimBefore = await kjson(server, ['pvc', claimName(1)]);
  const podBefore = await kjson(server, ['pod', `${STS}-1`]);
  assert.match(await k(server, ['delete', `pod/${STS}-1`]), /pod "examplestatefulset-1" deleted/);
  const pod = await waitPodReady(server, `${STS}-1`, { oldUid: podBefore.metadata.uid });
  const vol = pod.spec.volumes.find((v: any) => v.name === 'statefuldata');
  assert.equal(vol.persistentVolumeClaim.claimName, claimName(1));
  const claimAfter = await kjson(server, ['pvc', claimName(1)]);
  assert.equal(claimAfter.metadata.uid, claimBefore.metadata.uid, 'the same claim object');
  assert.equal(claimAfter.spec.volumeName, claimBefore.spec.volumeName, 'the same volume');
  await waitData(claimAfter, line(1) + line(1), 'the new pod appended to the old data');
  // The pod sees the same file at its mount.
  assert.equal(await k(server, ['exec', `${STS}-1`, '--', 'cat', '/dir/data']), line(1) + line(1));
});

test('scale 3 → 2 keeps the claim of ordinal 2 Bound (default retention); back to 3 it gets the same claim and data', { skip }, async () => {
  const claim2 = await kjson(server, ['pvc', claimName(2)]);
  assert.equal(readData(claim2), line(2));
  assert.equal((await k(server, ['scale', `sts/${STS}`, '--replicas=2'])).trim(), `statefulset.apps/${STS} scaled`);
  await waitGone(server, 'pod', `${STS}-2`);
  await waitReadyReplicas(2);
  // Window: 1 s after the pod is gone, the claim and its volume stay as they were.
  await holdsFor(1000, async () => {
    const c = await kget(server, 'pvc', claimName(2));
    if (!c) return 'claim 2 was deleted';
    if (c.metadata.deletionTimestamp) return 'claim 2 is being deleted';
    if (c.status?.phase !== 'Bound' || c.spec.volumeName !== claim2.spec.volumeName) return `claim 2 changed: ${JSON.stringify(c.status)}`;
    return undefined;
  }, 200);
  assert.equal((await kjson(server, ['pv', claim2.spec.volumeName])).status.phase, 'Bound');
  assert.equal(readData(claim2), line(2), 'data kept while scaled down');

  await k(server, ['scale', `sts/${STS}`, '--replicas=3']);
  const pod = await waitPodReady(server, `${STS}-2`);
  assert.equal(pod.spec.volumes.find((v: any) => v.name === 'statefuldata').persistentVolumeClaim.claimName, claimName(2));
  const again = await kjson(server, ['pvc', claimName(2)]);
  assert.equal(again.metadata.uid, claim2.metadata.uid, 'the same claim object');
  assert.equal(again.spec.volumeName, claim2.spec.volumeName);
  await waitData(again, line(2) + line(2), 'ordinal 2 appended to its old data');
  await waitReadyReplicas(3);
});

test('whenScaled: Delete removes the claim and the PV; the class decides whether the directory goes (archiveOnDelete "false") or is archived', { skip }, async () => {
  const claim2 = await kjson(server, ['pvc', claimName(2)]);
  await k(server, ['patch', `sts/${STS}`, '--type', 'merge', '-p', JSON.stringify({ spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } } })]);
  await k(server, ['scale', `sts/${STS}`, '--replicas=2']);
  await waitGone(server, 'pvc', claimName(2));
  await waitGone(server, 'pv', claim2.spec.volumeName);
  assert.ok(!fs.existsSync(path.join(exportDir, dirOf(claim2))), 'the directory is deleted (archiveOnDelete: "false")');
  assert.deepEqual(fs.readdirSync(exportDir).filter((d) => d.startsWith('archived-')), [], 'nothing archived');
  // The other ordinals keep their claims, volumes and data.
  for (const i of [0, 1]) {
    const c = await kjson(server, ['pvc', claimName(i)]);
    assert.equal(c.status.phase, 'Bound');
    assert.ok(readData(c).startsWith(line(i)));
  }

  // A class without archiveOnDelete archives: the directory is renamed to archived-<dir>, data kept.
  await k(server, ['apply', '-f', '-'], {
    stdin: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-archive
provisioner: fuseim.pri/ifs
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: keeper
spec:
  replicas: 1
  serviceName: examplestatefulservice
  selector: {matchLabels: {app: keeper}}
  persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}
  template:
    metadata: {labels: {app: keeper}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: ['sh', '-c', 'echo "kept by $(hostname)" >> /dir/data; exec sleep 3600']
        volumeMounts: [{name: data, mountPath: /dir}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: nfs-archive
      resources: {requests: {storage: 10Mi}}
`,
  });
  await waitPodReady(server, 'keeper-0');
  const kept = await kjson(server, ['pvc', 'data-keeper-0']);
  await waitData(kept, 'kept by keeper-0\n', 'keeper-0 wrote');
  await k(server, ['scale', 'sts/keeper', '--replicas=0']);
  await waitGone(server, 'pvc', 'data-keeper-0');
  await waitGone(server, 'pv', kept.spec.volumeName);
  assert.ok(!fs.existsSync(path.join(exportDir, dirOf(kept))));
  assert.equal(fs.readFileSync(path.join(exportDir, `archived-${dirOf(kept)}`, 'data'), 'utf8'), 'kept by keeper-0\n');
});
