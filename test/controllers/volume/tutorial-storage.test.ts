// The tutorial's two storage stories against the real registry: the examplestatefulset claims
// provisioned by the legacy nfs-client provisioner name, and the myapp static NFS volume with
// the Recycle policy shared by two claims.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLASSES, PVCS, PVS, claim, holdsFor, nfsVolume, phase, spec, startVolumeHarness, storageClass } from './harness.js';

const PV_CONTROLLER = 'persistentvolume-controller';

test('examplestatefulset claims get pvc-<uid> NFS volumes in directories named as in the tutorial', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('managed-nfs-storage', 'fuseim.pri/ifs'));
    const names = [0, 1, 2].map((i) => `statefuldata-examplestatefulset-${i}`);
    const claims = [];
    for (const n of names) claims.push(await h.create(PVCS, claim(n, { className: 'managed-nfs-storage', size: '200Mi' })));

    for (const c of claims) {
      const name = c.metadata.name!;
      const pvName = `pvc-${c.metadata.uid}`;
      const bound = await h.waitFor(`${name} Bound`, async () => {
        const got = await h.get(PVCS, name);
        return phase(got) === 'Bound' ? got : undefined;
      });
      assert.equal(spec(bound).volumeName, pvName);
      assert.deepEqual((bound.status as any).capacity, { storage: '200Mi' });
      assert.deepEqual((bound.status as any).accessModes, ['ReadWriteOnce']);
      assert.deepEqual(bound.metadata.annotations, {
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.beta.kubernetes.io/storage-provisioner': 'fuseim.pri/ifs',
        'volume.kubernetes.io/storage-provisioner': 'fuseim.pri/ifs',
      });
      assert.deepEqual(bound.metadata.finalizers, ['kubernetes.io/pvc-protection']);

      const pv = await h.waitFor(`${pvName} Bound`, async () => {
        const got = await h.tryGet(PVS, pvName);
        return phase(got) === 'Bound' && got?.metadata.finalizers?.length ? got : undefined;
      });
      const dir = `default-${name}-${pvName}`;
      assert.deepEqual(pv.metadata.annotations, { 'pv.kubernetes.io/provisioned-by': 'fuseim.pri/ifs' });
      assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
      assert.equal(spec(pv).storageClassName, 'managed-nfs-storage');
      assert.equal(spec(pv).persistentVolumeReclaimPolicy, 'Delete');
      assert.deepEqual(spec(pv).capacity, { storage: '200Mi' });
      assert.deepEqual(spec(pv).accessModes, ['ReadWriteOnce']);
      assert.deepEqual(spec(pv).nfs, { server: '127.0.0.1', path: `/exports/${dir}` });
      assert.equal(spec(pv).claimRef.uid, c.metadata.uid);
      const onDisk = path.join(h.dataDir, 'nfs', '127.0.0.1', 'exports', dir);
      assert.ok(fs.statSync(onDisk).isDirectory(), `${onDisk} exists`);
      assert.equal(fs.statSync(onDisk).mode & 0o777, 0o777);

      const evs = h.eventsFor(name);
      const ext = evs.find((e) => e.reason === 'ExternalProvisioning');
      assert.equal(ext?.component, PV_CONTROLLER);
      assert.equal(
        ext?.message,
        "Waiting for a volume to be created either by the external provisioner 'fuseim.pri/ifs' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      );
      assert.ok(evs.some((e) => e.reason === 'Provisioning' && e.component === 'fuseim.pri/ifs_ordinal' && e.message === `External provisioner is provisioning volume for claim "default/${name}"`));
      assert.ok(evs.some((e) => e.reason === 'ProvisioningSucceeded' && e.component === 'fuseim.pri/ifs_ordinal' && e.message === `Successfully provisioned volume ${pvName}`));
    }
  } finally {
    await h.close();
  }
});

test('myapp: the static nfs-pv binds the first claim; the second stays Pending until the first is deleted and the volume recycled', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(PVS, nfsVolume('nfs-pv', '172.17.0.2', '/nfs/data1', { size: '2Gi', policy: 'Recycle', className: 'nfs' }));
    const dir = path.join(h.dataDir, 'nfs', '172.17.0.2', 'nfs', 'data1');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'index.html'), 'hello');
    fs.writeFileSync(path.join(dir, '.hidden'), 'x');
    await h.waitFor('nfs-pv Available', async () => phase(await h.get(PVS, 'nfs-pv')) === 'Available');

    await h.create(PVCS, claim('myapp-data-myapp-sts-0', { className: 'nfs', size: '1Gi' }));
    await h.waitFor('claim 0 Bound', async () => phase(await h.get(PVCS, 'myapp-data-myapp-sts-0')) === 'Bound');
    const pv = await h.get(PVS, 'nfs-pv');
    assert.equal(phase(pv), 'Bound');
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual((await h.get(PVCS, 'myapp-data-myapp-sts-0')).status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });

    await h.create(PVCS, claim('myapp-data-myapp-sts-1', { className: 'nfs', size: '1Gi' }));
    const failed = await h.waitEvent({ name: 'myapp-data-myapp-sts-1', reason: 'ProvisioningFailed' });
    assert.deepEqual(failed, {
      component: PV_CONTROLLER,
      kind: 'PersistentVolumeClaim',
      name: 'myapp-data-myapp-sts-1',
      type: 'Warning',
      reason: 'ProvisioningFailed',
      message: 'storageclass.storage.k8s.io "nfs" not found',
    });
    // Window: 1.5 s after the controller reported the claim (five resyncs at 300 ms).
    await holdsFor(1500, async () => {
      const c = await h.get(PVCS, 'myapp-data-myapp-sts-1');
      return phase(c) !== 'Pending' || spec(c).volumeName ? `claim 1 changed: ${JSON.stringify(c.status)}` : undefined;
    });
    assert.ok(h.eventsFor('myapp-data-myapp-sts-1').filter((e) => e.reason === 'ProvisioningFailed').length >= 2, 'retried at each resync');
    assert.ok(fs.existsSync(path.join(dir, 'sub', 'index.html')), 'data untouched while bound');

    await h.client.delete(PVCS, 'default', 'myapp-data-myapp-sts-0');
    await h.waitEvent({ name: 'nfs-pv', reason: 'VolumeRecycled', message: 'Volume recycled', component: PV_CONTROLLER });
    const bound = await h.waitFor('claim 1 Bound to nfs-pv', async () => {
      const c = await h.get(PVCS, 'myapp-data-myapp-sts-1');
      return phase(c) === 'Bound' ? c : undefined;
    });
    assert.equal(spec(bound).volumeName, 'nfs-pv');
    assert.deepEqual(fs.readdirSync(dir), [], 'directory emptied (hidden files too)');
    const pv2 = await h.get(PVS, 'nfs-pv');
    assert.equal(spec(pv2).claimRef.name, 'myapp-data-myapp-sts-1');
  } finally {
    await h.close();
  }
});

test('a claim of a class whose provisioner does not exist stays Pending with ExternalProvisioning', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('elsewhere', 'example.com/nobody'));
    await h.create(PVCS, claim('orphan', { className: 'elsewhere' }));
    const ev = await h.waitEvent({ name: 'orphan', reason: 'ExternalProvisioning' });
    assert.equal(ev.type, 'Normal');
    assert.match(ev.message, /external provisioner 'example\.com\/nobody'/);
    const c = await h.get(PVCS, 'orphan');
    assert.equal(c.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'example.com/nobody');
    await holdsFor(1000, async () => (phase(await h.get(PVCS, 'orphan')) !== 'Pending' ? 'claim left Pending' : undefined));
    assert.equal((await h.client.list(PVS, undefined)).items.length, 0);
  } finally {
    await h.close();
  }
});

test('a claim with class "" and no matching volume reports FailedBinding', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(PVCS, claim('classless', { className: '' }));
    const ev = await h.waitEvent({ name: 'classless', reason: 'FailedBinding' });
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.message, 'no persistent volumes available for this claim and no storage class is set');
  } finally {
    await h.close();
  }
});
