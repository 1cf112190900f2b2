// Must-holds 1 (the myapp example, a class nobody provisions) and 2 (bad input) over the real
// kubectl against `ordinal up` with the simulated runtime: nothing here needs a pod to write,
// so the test plays the pod's writes on disk itself where data matters.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { fixture, holdsFor, k, kget, kjson, snapshotTree, waitGone, waitPodReady } from './support.js';

let server: TestServer;

before(async () => {
  server = await startServer({ runtime: 'simulated' });
});

after(async () => {
  await server?.dispose();
});

/** The Events about one object, oldest first, as `kubectl get events` returns them. */
async function eventsFor(name: string): Promise<any[]> {
  const list = await kjson(server, ['events', '--field-selector', `involvedObject.name=${name}`]);
  return list.items;
}

async function waitEvent(name: string, reason: string): Promise<any> {
  return waitFor(async () => (await eventsFor(name)).find((e) => e.reason === reason), { timeoutMs: 20_000, intervalMs: 150, what: `event ${reason} for ${name}` });
}

const phaseOf = (o: any) => o?.status?.phase;

test('myapp: nfs-pv binds the first claim; the second stays Pending (class "nfs" not found) and its pod unschedulable; after scale 0 and deleting the first claim the volume is recycled and binds the second', async () => {
  const out = await k(server, ['apply', '-f', fixture('myapp.yml')]);
  assert.equal(out.trim(), 'service/myapp-svc created\npersistentvolume/nfs-pv created\nstatefulset.apps/myapp-sts created');
  // The one NFS rule: (172.17.0.2, /nfs/data1) is DATA_DIR/nfs/172.17.0.2/nfs/data1; no share is contacted.
  const dir = path.join(server.dataDir, 'nfs', '172.17.0.2', 'nfs', 'data1');

  const claim0 = await waitFor(async () => {
    const c = await kget(server, 'pvc', 'myapp-data-myapp-sts-0');
    return phaseOf(c) === 'Bound' ? c : undefined;
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'myapp-data-myapp-sts-0 Bound' });
  assert.equal(claim0.spec.volumeName, 'nfs-pv');
  assert.deepEqual(claim0.status.capacity, { storage: '2Gi' }, 'a claim gets the whole volume');
  const pv = await kjson(server, ['pv', 'nfs-pv']);
  assert.equal(phaseOf(pv), 'Bound');
  assert.equal(pv.spec.claimRef.name, 'myapp-data-myapp-sts-0');
  await waitPodReady(server, 'myapp-sts-0');
  // What nginx would have served from its volume (the simulated runtime writes nothing).
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<p>myapp-sts-0</p>\n');
  fs.writeFileSync(path.join(dir, 'sub', 'page.html'), 'x');
  fs.writeFileSync(path.join(dir, '.hidden'), 'x');

  // Ordinal 1: no volume left, and no provisioner for a class that does not exist.
  const failed = await waitEvent('myapp-data-myapp-sts-1', 'ProvisioningFailed');
  assert.equal(failed.type, 'Warning');
  assert.equal(failed.source.component, 'persistentvolume-controller');
  assert.equal(failed.message, 'storageclass.storage.k8s.io "nfs" not found');
  const describedClaim = await k(server, ['describe', 'pvc', 'myapp-data-myapp-sts-1']);
  assert.match(describedClaim, /^Status:\s+Pending$/m);
  assert.match(describedClaim, /Warning\s+ProvisioningFailed\s+\S+\s+persistentvolume-controller\s+storageclass\.storage\.k8s\.io "nfs" not found/);
  const scheduling = await waitEvent('myapp-sts-1', 'FailedScheduling');
  assert.equal(scheduling.type, 'Warning');
  assert.equal(scheduling.message, '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');

  // Window: 2 s from the moment both events were seen. Halfway, a label on the claim makes the
  // volume controller sync it again (it reports again); nothing may bind or schedule.
  const failedBefore = (await eventsFor('myapp-data-myapp-sts-1')).find((e) => e.reason === 'ProvisioningFailed').count ?? 1;
  const windowEnd = Date.now() + 2000;
  await holdsFor(1000, check);
  await k(server, ['label', 'pvc', 'myapp-data-myapp-sts-1', 'poke=1']);
  await holdsFor(windowEnd - Date.now(), check);
  const failedAfter = (await eventsFor('myapp-data-myapp-sts-1')).find((e) => e.reason === 'ProvisioningFailed').count ?? 1;
  assert.ok(failedAfter > failedBefore, `the controller looked at the claim again in the window (count ${failedBefore} → ${failedAfter})`);
  async function check(): Promise<string | undefined> {
    const c = await kjson(server, ['pvc', 'myapp-data-myapp-sts-1']);
    if (phaseOf(c) !== 'Pending' || c.spec.volumeName) return `claim 1 left Pending: ${JSON.stringify(c.status)} ${c.spec.volumeName}`;
    const p = await kjson(server, ['pod', 'myapp-sts-1']);
    if (p.spec.nodeName) return `myapp-sts-1 was scheduled to ${p.spec.nodeName}`;
    const cond = (p.status.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
    if (cond?.status !== 'False' || cond.reason !== 'Unschedulable') return `myapp-sts-1 PodScheduled: ${JSON.stringify(cond)}`;
    if (phaseOf(await kjson(server, ['pv', 'nfs-pv'])) !== 'Bound') return 'nfs-pv left Bound';
    return undefined;
  }
  assert.ok(fs.existsSync(path.join(dir, 'index.html')), 'data untouched while bound');

  // Scale to 0, delete the first claim: Recycle empties the directory, the volume becomes
  // Available, and the waiting claim binds it.
  const phases = server.kubectlBackground(['get', 'pv', 'nfs-pv', '-w', '-o', 'jsonpath={.status.phase}{"\\n"}']);
  try {
    await k(server, ['scale', 'sts/myapp-sts', '--replicas=0']);
    await waitGone(server, 'pod', 'myapp-sts-1');
    await waitGone(server, 'pod', 'myapp-sts-0');
    assert.equal(phaseOf(await kjson(server, ['pvc', 'myapp-data-myapp-sts-1'])), 'Pending', 'claims outlive scale-down');
    assert.match(await k(server, ['delete', 'pvc', 'myapp-data-myapp-sts-0']), /persistentvolumeclaim "myapp-data-myapp-sts-0" deleted/);
    const claim1 = await waitFor(async () => {
      const c = await kjson(server, ['pvc', 'myapp-data-myapp-sts-1']);
      return phaseOf(c) === 'Bound' ? c : undefined;
    }, { timeoutMs: 20_000, intervalMs: 150, what: 'myapp-data-myapp-sts-1 Bound' });
    assert.equal(claim1.spec.volumeName, 'nfs-pv');
    const pv2 = await kjson(server, ['pv', 'nfs-pv']);
    assert.equal(phaseOf(pv2), 'Bound');
    assert.equal(pv2.spec.claimRef.name, 'myapp-data-myapp-sts-1');
    assert.equal(pv2.spec.claimRef.uid, claim1.metadata.uid);
    assert.deepEqual(fs.readdirSync(dir), [], 'the directory is emptied, hidden files too');
    const recycled = await waitEvent('nfs-pv', 'VolumeRecycled');
    assert.equal(recycled.message, 'Volume recycled');
    await waitFor(() => phases.stdout().includes('Available\nBound'), { timeoutMs: 5000, what: `watch shows Available then Bound (got ${JSON.stringify(phases.stdout())})` });
    const seen = phases.stdout().split('\n').filter(Boolean);
    // Every phase the volume went through, with repeats folded (status writes that keep the phase).
    const folded = seen.filter((p, i) => p !== seen[i - 1]);
    assert.deepEqual(folded, ['Bound', 'Released', 'Available', 'Bound']);
  } finally {
    await phases.stop();
  }
});

test('a claim of a class whose provisioner does not exist stays Pending with ExternalProvisioning', async () => {
  await k(server, ['apply', '-f', '-'], {
    stdin: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: elsewhere}
provisioner: example.com/nobody
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: orphan}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: elsewhere
  resources: {requests: {storage: 1Gi}}
`,
  });
  const ev = await waitEvent('orphan', 'ExternalProvisioning');
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.source.component, 'persistentvolume-controller');
  assert.equal(
    ev.message,
    "Waiting for a volume to be created either by the external provisioner 'example.com/nobody' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
  );
  const c = await kjson(server, ['pvc', 'orphan']);
  assert.equal(c.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'example.com/nobody');
  // Window: 2 s after the controller reported the claim, with a re-sync forced halfway.
  const countBefore = ev.count ?? 1;
  const stillPending = async () => {
    const got = await kjson(server, ['pvc', 'orphan']);
    return phaseOf(got) !== 'Pending' || got.spec.volumeName ? `orphan left Pending: ${JSON.stringify(got.status)}` : undefined;
  };
  await holdsFor(1000, stillPending);
  await k(server, ['label', 'pvc', 'orphan', 'poke=1']);
  await holdsFor(1000, stillPending);
  const again = (await eventsFor('orphan')).find((e) => e.reason === 'ExternalProvisioning');
  assert.ok((again.count ?? 1) > countBefore, 'the controller saw the claim again and said so again');
  const pvs = (await kjson(server, ['pv'])).items.filter((p: any) => p.spec.claimRef?.name === 'orphan');
  assert.deepEqual(pvs, []);
  assert.match(await k(server, ['get', 'pvc', 'orphan']), /^orphan\s+Pending\s+elsewhere\s+<unset>\s+\d+s$/m);
});

test('bad input: upstream Invalid, BadRequest and Forbidden errors over kubectl, and nothing on disk changes', async () => {
  const nfsRoot = path.join(server.dataDir, 'nfs');
  await k(server, ['apply', '-f', fixture('managed-nfs-storage.yml')]);
  const claimYaml = (name: string, opts: { mode?: string; size?: string; cls?: string } = {}) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [${opts.mode ?? 'ReadWriteOnce'}]
  storageClassName: ${opts.cls ?? 'managed-nfs-storage'}
  resources: {requests: {storage: ${JSON.stringify(opts.size ?? '100Mi')}}}
`;
  // One good claim (no expansion in its class) and one whose class allows expansion.
  await k(server, ['apply', '-f', '-'], {
    stdin: `${claimYaml('good')}---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: growable}
provisioner: fuseim.pri/ifs
allowVolumeExpansion: true
---
${claimYaml('grows', { cls: 'growable' })}`,
  });
  const good = await waitFor(async () => {
    const c = await kjson(server, ['pvc', 'good']);
    return phaseOf(c) === 'Bound' ? c : undefined;
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'good Bound' });
  const grows = await waitFor(async () => {
    const c = await kjson(server, ['pvc', 'grows']);
    return phaseOf(c) === 'Bound' ? c : undefined;
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'grows Bound' });
  const pvName = good.spec.volumeName as string;
  const before = snapshotTree(nfsRoot);
  assert.ok(before[`127.0.0.1/exports/default-good-${pvName}/`] === '', `the good claim has its directory: ${JSON.stringify(Object.keys(before))}`);
  const namesBefore = async () => [(await kjson(server, ['pvc'])).items.map((c: any) => c.metadata.name).sort(), (await kjson(server, ['pv'])).items.map((p: any) => p.metadata.name).sort()];
  const objectsBefore = await namesBefore();

  const refused = async (args: string[], stdin: string | undefined, want: RegExp | string) => {
    const r = await server.kubectl(args, stdin === undefined ? {} : { stdin });
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} was accepted: ${r.stdout}`);
    if (typeof want === 'string') assert.equal(r.stderr.trim(), want);
    else assert.match(r.stderr, want);
  };
  await refused(['apply', '-f', '-'], claimYaml('bad-mode', { mode: 'ReadWriteSometimes' }),
    'The PersistentVolumeClaim "bad-mode" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
  await refused(['apply', '-f', '-'], claimYaml('negative', { size: '-1Gi' }),
    'The PersistentVolumeClaim "negative" is invalid: spec.resources[storage]: Invalid value: "-1Gi": must be greater than zero');
  await refused(['apply', '-f', '-'], claimYaml('zero', { size: '0' }),
    'The PersistentVolumeClaim "zero" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero');
  // An unparseable quantity fails to decode: upstream answers 400 BadRequest, not Invalid.
  await refused(['apply', '-f', '-'], claimYaml('garbage', { size: 'lots' }),
    `Error from server (BadRequest): error when creating "STDIN": PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  await refused(['patch', 'pvc', 'good', '--type', 'merge', '-p', '{"spec":{"resources":{"requests":{"storage":"50Mi"}}}}'], undefined,
    'The PersistentVolumeClaim "good" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
  await refused(['patch', 'pvc', 'good', '--type', 'merge', '-p', '{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}'], undefined,
    'Error from server (Forbidden): persistentvolumeclaims "good" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  // Upstream appends a go-cmp diff of the internal source struct after the first line; the
  // first line is the stable part (go-cmp randomises its own whitespace on purpose).
  await refused(['patch', 'pv', pvName, '--type', 'merge', '-p', '{"spec":{"nfs":{"path":"/exports/elsewhere"}}}'], undefined,
    new RegExp(`^The PersistentVolume "${pvName}" is invalid: spec\\.persistentvolumesource: Forbidden: spec\\.persistentvolumesource is immutable after creation`));
  await refused(['patch', 'pv', pvName, '--type', 'merge', '-p', '{"spec":{"nfs":{"server":"10.9.9.9"}}}'], undefined,
    /spec\.persistentvolumesource: Forbidden: spec\.persistentvolumesource is immutable after creation/);
  await refused(['patch', 'pv', pvName, '--type', 'json', '-p', '[{"op":"replace","path":"/spec/accessModes","value":["ReadWriteSometimes"]}]'], undefined,
    `The PersistentVolume "${pvName}" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"`);
  await refused(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolume
metadata: {name: bad-pv}
spec:
  capacity: {storage: "-2Gi"}
  accessModes: [ReadWriteOnce]
  nfs: {server: 172.17.0.2, path: /nfs/bad}
`, 'The PersistentVolume "bad-pv" is invalid: \n* spec.capacity[storage]: Invalid value: -2147483648: must be a valid resource quantity\n* spec.capacity[storage]: Invalid value: "-2Gi": must be greater than zero');

  // Window: 1 s after the last refusal, the disk and the objects are as they were.
  await holdsFor(1000, () => {
    const now = snapshotTree(nfsRoot);
    return JSON.stringify(now) !== JSON.stringify(before) ? `the NFS tree changed: ${JSON.stringify(now)}` : undefined;
  });
  assert.deepEqual(await namesBefore(), objectsBefore);
  const after = await kjson(server, ['pvc', 'good']);
  assert.deepEqual(after.spec.resources, good.spec.resources);
  assert.deepEqual((await kjson(server, ['pv', pvName])).spec.nfs, { server: '127.0.0.1', path: `/exports/default-good-${pvName}` });

  // The accepted counterpart: growing a claim whose class allows it updates the PV and the claim.
  await k(server, ['patch', 'pvc', 'grows', '--type', 'merge', '-p', '{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}']);
  await waitFor(async () => {
    const c = await kjson(server, ['pvc', 'grows']);
    const v = await kjson(server, ['pv', grows.spec.volumeName]);
    return c.status.capacity?.storage === '1Gi' && v.spec.capacity.storage === '1Gi';
  }, { timeoutMs: 20_000, intervalMs: 150, what: 'grows expanded to 1Gi (claim status and PV)' });
  assert.deepEqual(snapshotTree(nfsRoot), before, 'expansion of a directory volume touches nothing on disk');
});
