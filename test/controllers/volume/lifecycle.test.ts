// Provisioning, reclaim, protection, expansion and default classes, end to end through the
// registry: what a StatefulSet's whenScaled: Delete, a user's kubectl delete, or a raised
// request does to PVs and to the directories behind them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../../../src/api/object.js';
import { CLASSES, NODES, PODS, PVCS, PVS, claim, holdsFor, hostPathVolume, nfsVolume, phase, spec, startVolumeHarness, storageClass, type VolumeHarness } from './harness.js';

async function provisioned(h: VolumeHarness, name: string): Promise<{ claim: KObject; pv: KObject; dir: string }> {
  const c = await h.waitFor(`${name} Bound`, async () => {
    const got = await h.get(PVCS, name);
    return phase(got) === 'Bound' ? got : undefined;
  });
  const pv = await h.get(PVS, spec(c).volumeName);
  const nfs = spec(pv).nfs;
  const dir = nfs ? path.join(h.dataDir, 'nfs', nfs.server, ...String(nfs.path).split('/').filter(Boolean)) : '';
  return { claim: c, pv, dir };
}

async function deleteClaimAndWaitVolumeGone(h: VolumeHarness, name: string, pvName: string): Promise<void> {
  await h.client.delete(PVCS, 'default', name);
  await h.waitFor(`${pvName} deleted`, async () => (await h.tryGet(PVS, pvName)) === undefined);
}

for (const [label, params, expect] of [
  ['no parameters: archived', undefined, 'archived'],
  ['archiveOnDelete "false": removed', { archiveOnDelete: 'false' }, 'removed'],
  ['onDelete delete: removed', { onDelete: 'delete' }, 'removed'],
  ['onDelete retain: kept', { onDelete: 'retain', archiveOnDelete: 'true' }, 'kept'],
] as const) {
  test(`deleting a provisioned claim deletes its PV; directory ${label}`, async () => {
    const h = await startVolumeHarness();
    try {
      await h.create(CLASSES, storageClass('managed-nfs-storage', 'k8s-sigs.io/nfs-subdir-external-provisioner', params ? { parameters: params } : {}));
      await h.create(PVCS, claim('data-web-2', { className: 'managed-nfs-storage' }));
      const { pv, dir } = await provisioned(h, 'data-web-2');
      assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'k8s-sigs.io/nfs-subdir-external-provisioner');
      fs.writeFileSync(path.join(dir, 'data'), 'The host is web-2\n');
      await deleteClaimAndWaitVolumeGone(h, 'data-web-2', pv.metadata.name!);
      const archived = path.join(path.dirname(dir), `archived-${path.basename(dir)}`);
      if (expect === 'archived') {
        assert.ok(!fs.existsSync(dir));
        assert.equal(fs.readFileSync(path.join(archived, 'data'), 'utf8'), 'The host is web-2\n');
      } else if (expect === 'removed') {
        assert.ok(!fs.existsSync(dir) && !fs.existsSync(archived));
      } else {
        assert.equal(fs.readFileSync(path.join(dir, 'data'), 'utf8'), 'The host is web-2\n');
      }
    } finally {
      await h.close();
    }
  });
}

test('Retain: the PV goes Released and keeps its data; pre-binding by volumeName binds that PV', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(PVS, nfsVolume('keep', '10.1.2.3', '/srv/keep', { policy: 'Retain', className: '' }));
    await h.create(PVS, nfsVolume('smaller', '10.1.2.3', '/srv/small', { policy: 'Retain', className: '', size: '1Gi' }));
    await h.waitFor('both Available', async () => phase(await h.get(PVS, 'keep')) === 'Available' && phase(await h.get(PVS, 'smaller')) === 'Available');
    await h.create(PVCS, claim('wants-keep', { className: '', volumeName: 'keep', size: '1Gi' }));
    const c = (await provisioned(h, 'wants-keep')).claim;
    assert.equal(spec(c).volumeName, 'keep', 'the named volume, not the smaller fit');
    assert.equal(c.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'the user chose it');
    const dir = path.join(h.dataDir, 'nfs', '10.1.2.3', 'srv', 'keep');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    await h.client.delete(PVCS, 'default', 'wants-keep');
    await h.waitFor('keep Released', async () => phase(await h.get(PVS, 'keep')) === 'Released');
    await holdsFor(700, async () => (phase(await h.get(PVS, 'keep')) !== 'Released' ? 'left Released' : undefined));
    assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'x');
  } finally {
    await h.close();
  }
});

test('matching: smallest fit of the class, selector and access modes honoured', async () => {
  const h = await startVolumeHarness();
  try {
    const mk = (name: string, size: string, labels: Record<string, string>, modes = ['ReadWriteOnce']) => {
      const pv = nfsVolume(name, 's', `/v/${name}`, { size, policy: 'Retain', className: 'fast', modes });
      pv.metadata.labels = labels;
      return h.create(PVS, pv);
    };
    await mk('big', '10Gi', { tier: 'gold' });
    await mk('small', '1Gi', { tier: 'gold' });
    await mk('tiny', '100Mi', { tier: 'gold' });
    await mk('silver', '1Gi', { tier: 'silver' });
    await mk('shared', '1Gi', { tier: 'gold' }, ['ReadWriteMany', 'ReadWriteOnce']);
    await h.waitFor('all Available', async () => (await h.client.list(PVS, undefined)).items.every((p) => phase(p) === 'Available'));
    await h.create(PVCS, claim('gold', { className: 'fast', size: '500Mi', selector: { matchLabels: { tier: 'gold' } } }));
    assert.equal(spec((await provisioned(h, 'gold')).claim).volumeName, 'small');
    await h.create(PVCS, claim('many', { className: 'fast', size: '500Mi', modes: ['ReadWriteMany'] }));
    assert.equal(spec((await provisioned(h, 'many')).claim).volumeName, 'shared');
  } finally {
    await h.close();
  }
});

test('local-path with WaitForFirstConsumer: waits for the selected node, then a hostPath PV pinned to it', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('standard', 'ordinal.dev/local-path', { volumeBindingMode: 'WaitForFirstConsumer' }));
    await h.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } } });
    await h.create(PVCS, claim('www-web-0', { className: 'standard' }));
    const ev = await h.waitEvent({ name: 'www-web-0', reason: 'WaitForFirstConsumer' });
    assert.equal(ev.message, 'waiting for first consumer to be created before binding');
    await holdsFor(500, async () => ((await h.client.list(PVS, undefined)).items.length ? 'provisioned before a node was selected' : undefined));

    await h.client.patch(PVCS, 'default', 'www-web-0', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-a' } } });
    const { claim: c, pv } = await provisioned(h, 'www-web-0');
    const dir = path.join(h.dataDir, 'local-path', `${pv.metadata.name}_default_www-web-0`);
    assert.equal(pv.metadata.name, `pvc-${c.metadata.uid}`);
    assert.deepEqual(spec(pv).hostPath, { path: dir, type: 'DirectoryOrCreate' });
    assert.deepEqual(spec(pv).nodeAffinity.required.nodeSelectorTerms[0].matchExpressions, [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }]);
    assert.ok(fs.statSync(dir).isDirectory());
    assert.ok(h.events.some((e) => e.component === 'ordinal.dev/local-path_ordinal' && e.reason === 'ProvisioningSucceeded'));
    await deleteClaimAndWaitVolumeGone(h, 'www-web-0', pv.metadata.name!);
    assert.ok(!fs.existsSync(dir), 'local-path deletes the directory');
  } finally {
    await h.close();
  }
});

test('an unset class gets the default class (retroactive assignment)', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(PVCS, claim('late', { className: null }));
    await h.waitEvent({ name: 'late', reason: 'FailedBinding' });
    await h.create(CLASSES, storageClass('standard', 'ordinal.dev/local-path', { volumeBindingMode: 'WaitForFirstConsumer', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
    await h.waitFor('class assigned', async () => spec(await h.get(PVCS, 'late')).storageClassName === 'standard');
    await h.waitEvent({ name: 'late', reason: 'WaitForFirstConsumer' });
  } finally {
    await h.close();
  }
});

test('pvc-protection holds a deleted claim while a scheduled pod uses it; pv-protection holds a Bound PV', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('nfs-client', 'fuseim.pri/ifs'));
    await h.create(PVCS, claim('in-use', { className: 'nfs-client' }));
    const { pv } = await provisioned(h, 'in-use');
    await h.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user' },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'in-use' } }] },
    });
    await h.waitFor('pv finalizer', async () => (await h.get(PVS, pv.metadata.name!)).metadata.finalizers?.includes('kubernetes.io/pv-protection'));
    await h.client.delete(PVS, undefined, pv.metadata.name!);
    await h.client.delete(PVCS, 'default', 'in-use');
    await holdsFor(600, async () => {
      const c = await h.tryGet(PVCS, 'in-use');
      const v = await h.tryGet(PVS, pv.metadata.name!);
      if (!c?.metadata.deletionTimestamp || !c.metadata.finalizers?.includes('kubernetes.io/pvc-protection')) return 'claim released while in use';
      return v?.metadata.deletionTimestamp ? undefined : 'pv gone while Bound';
    });
    await h.client.delete(PODS, 'default', 'user', { gracePeriodSeconds: 0 });
    await h.waitFor('claim gone', async () => (await h.tryGet(PVCS, 'in-use')) === undefined);
    await h.waitFor('pv gone', async () => (await h.tryGet(PVS, pv.metadata.name!)) === undefined);
  } finally {
    await h.close();
  }
});

test('expansion: raising a bound claim of an expandable class updates PV and claim capacity', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('grow', 'fuseim.pri/ifs', { allowVolumeExpansion: true }));
    await h.create(PVCS, claim('growing', { className: 'grow', size: '1Gi' }));
    const { pv } = await provisioned(h, 'growing');
    await h.client.patch(PVCS, 'default', 'growing', 'merge', { spec: { resources: { requests: { storage: '3Gi' } } } });
    await h.waitFor('claim capacity 3Gi', async () => ((await h.get(PVCS, 'growing')).status as any)?.capacity?.storage === '3Gi');
    assert.deepEqual(spec(await h.get(PVS, pv.metadata.name!)).capacity, { storage: '3Gi' });
    assert.ok(h.events.some((e) => e.name === 'growing' && e.reason === 'VolumeResizeSuccessful'));
  } finally {
    await h.close();
  }
});

test('static hostPath Delete below the reclaim root removes the directory and the PV', async () => {
  const h = await startVolumeHarness();
  try {
    const dir = path.join(h.dataDir, 'hostpath', 'vol1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    await h.create(PVS, hostPathVolume('hp', dir, { policy: 'Delete', className: '' }));
    await h.create(PVCS, claim('hp-claim', { className: '', size: '1Gi' }));
    await h.waitFor('bound', async () => phase(await h.get(PVCS, 'hp-claim')) === 'Bound');
    await h.client.delete(PVCS, 'default', 'hp-claim');
    await h.waitFor('pv gone', async () => (await h.tryGet(PVS, 'hp')) === undefined);
    assert.ok(!fs.existsSync(dir));
  } finally {
    await h.close();
  }
});
