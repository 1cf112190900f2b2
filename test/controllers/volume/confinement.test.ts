// Must-hold 4: provisioner directories are created and removed only under their roots. Values
// with `..` and `/` reach the path through pathPattern (a claim annotation), static NFS paths,
// static hostPath paths and planted symlinks; canary directories just outside each root must
// survive, and nothing is created outside. No real host directory is ever named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nfsDirectory } from '../../../src/api/nfs-path.js';
import { expandPathPattern, subdirSegments } from '../../../src/controllers/volume/path-pattern.js';
import { CLASSES, PVCS, PVS, canaryAlive, claim, holdsFor, hostPathVolume, makeCanary, nfsVolume, phase, startVolumeHarness, storageClass } from './harness.js';

const claimObj = (annotations: Record<string, string> = {}) => ({
  metadata: { name: 'c', namespace: 'ns', labels: { app: 'web' }, annotations },
});

test('nfsDirectory maps (server, path) under DATA_DIR/nfs and refuses escapes', () => {
  assert.equal(nfsDirectory('/d', '172.17.0.2', '/nfs/data1'), '/d/nfs/172.17.0.2/nfs/data1');
  assert.equal(nfsDirectory('/d', 's', '//a/./b/'), '/d/nfs/s/a/b');
  for (const [server, p] of [
    ['s', '/a/../../etc'],
    ['s', '..'],
    ['..', '/x'],
    ['a/b', '/x'],
    ['', '/x'],
    ['s', '/a\0b'],
  ]) {
    assert.throws(() => nfsDirectory('/d', server!, p!), Error, `${server}:${p}`);
  }
});

test('pathPattern expands claim metadata and refuses .. and the export itself', () => {
  const c = claimObj({ owner: 'alice' });
  assert.equal(expandPathPattern('${.PVC.namespace}/${.PVC.name}/${.PVC.labels.app}/${.PVC.annotations.owner}/${.PVC.annotations.none}x', c), 'ns/c/web/alice/x');
  assert.deepEqual(subdirSegments(c, 'pvc-1', undefined), ['ns-c-pvc-1']);
  assert.deepEqual(subdirSegments(c, 'pvc-1', '${.PVC.annotations.none}'), ['ns-c-pvc-1'], 'empty expansion falls back to the default');
  assert.deepEqual(subdirSegments(c, 'pvc-1', '${.PVC.namespace}/${.PVC.name}'), ['ns', 'c']);
  assert.throws(() => subdirSegments(claimObj({ p: '../../x' }), 'pvc-1', '${.PVC.annotations.p}'));
  assert.throws(() => subdirSegments(claimObj({ p: 'a/../../x' }), 'pvc-1', 'keep/${.PVC.annotations.p}'));
  assert.throws(() => subdirSegments(claimObj({ p: '/' }), 'pvc-1', '${.PVC.annotations.p}'));
});

test('pathPattern values with .. never leave the export; canaries survive', async () => {
  const h = await startVolumeHarness();
  try {
    const nfsRoot = path.join(h.dataDir, 'nfs');
    const exportDir = path.join(nfsRoot, '127.0.0.1', 'exports');
    fs.mkdirSync(exportDir, { recursive: true });
    const canaries = [makeCanary(path.join(nfsRoot, '127.0.0.1', 'canary')), makeCanary(path.join(h.dataDir, 'canary')), makeCanary(path.join(path.dirname(h.dataDir), `${path.basename(h.dataDir)}-canary`))];
    await h.create(CLASSES, storageClass('patterned', 'fuseim.pri/ifs', { parameters: { pathPattern: '${.PVC.annotations.dir}', archiveOnDelete: 'false' } }));
    const evil = ['../canary', '../../../canary', 'ok/../../canary', '/', '..'];
    for (const [i, dir] of evil.entries()) await h.create(PVCS, claim(`evil-${i}`, { className: 'patterned', annotations: { dir } }));
    for (const i of evil.keys()) {
      const ev = await h.waitEvent({ name: `evil-${i}`, reason: 'ProvisioningFailed' });
      assert.match(ev.message, /^failed to provision volume with StorageClass "patterned": /);
    }
    await holdsFor(600, async () => ((await h.client.list(PVS, undefined)).items.length ? 'a PV was provisioned' : undefined));
    assert.deepEqual(fs.readdirSync(exportDir), [], 'nothing created in the export');

    // A symlink planted in the export (as a pod could) is not followed either.
    const outside = path.join(h.dataDir, 'canary');
    fs.symlinkSync(outside, path.join(exportDir, 'link'));
    await h.create(PVCS, claim('via-link', { className: 'patterned', annotations: { dir: 'link/sub' } }));
    await h.waitEvent({ name: 'via-link', reason: 'ProvisioningFailed' });
    assert.ok(!fs.existsSync(path.join(outside, 'sub')));

    // A legitimate nested directory is created, and removing it removes only it.
    await h.create(PVCS, claim('nested', { className: 'patterned', annotations: { dir: 'team/a' } }));
    const bound = await h.waitFor('nested Bound', async () => {
      const c = await h.get(PVCS, 'nested');
      return phase(c) === 'Bound' ? c : undefined;
    });
    assert.ok(fs.statSync(path.join(exportDir, 'team', 'a')).isDirectory());
    await h.client.delete(PVCS, 'default', 'nested');
    await h.waitFor('nested PV gone', async () => (await h.tryGet(PVS, (bound.spec as any).volumeName)) === undefined);
    assert.ok(!fs.existsSync(path.join(exportDir, 'team', 'a')) && fs.existsSync(path.join(exportDir, 'team')));
    for (const c of canaries) assert.ok(canaryAlive(c), `${c} survives`);
  } finally {
    await h.close();
  }
});

test('static NFS and hostPath volumes reclaim only inside their roots; canaries survive', async () => {
  const h = await startVolumeHarness();
  try {
    const nfsRoot = path.join(h.dataDir, 'nfs');
    const hostRoot = path.join(h.dataDir, 'hostpath');
    fs.mkdirSync(hostRoot, { recursive: true });
    const canaryOutsideNfs = makeCanary(path.join(h.dataDir, 'canary'));
    const canaryOutsideHost = makeCanary(path.join(h.dataDir, 'hostpath-canary'));
    // A symlink inside the NFS tree pointing outside: a recycle through it must not follow.
    fs.mkdirSync(path.join(nfsRoot, 'srv'), { recursive: true });
    fs.symlinkSync(path.join(h.dataDir, 'canary'), path.join(nfsRoot, 'srv', 'link'));

    const cases = [
      // The API server refuses `..` in hostPath, not in nfs paths: these reach the controller.
      nfsVolume('nfs-dotdot', 'srv', '/../../canary', { size: '1Gi', className: '' }),
      nfsVolume('nfs-server-dotdot', '..', '/canary', { size: '1Gi', className: '' }),
      nfsVolume('nfs-symlink', 'srv', '/link', { size: '1Gi', className: '' }),
      hostPathVolume('host-outside', path.join(h.dataDir, 'hostpath-canary'), { policy: 'Recycle', className: '' }),
      hostPathVolume('host-root', hostRoot, { policy: 'Delete', className: '' }),
      hostPathVolume('host-sibling', `${hostRoot}-canary`, { policy: 'Delete', className: '' }),
    ];
    for (const pv of cases) {
      await h.create(PVS, pv);
      const name = pv.metadata.name!;
      await h.waitFor(`${name} Available`, async () => phase(await h.get(PVS, name)) === 'Available');
      await h.create(PVCS, claim(`for-${name}`, { className: '', size: '1Gi', volumeName: name }));
      await h.waitFor(`for-${name} Bound`, async () => phase(await h.get(PVCS, `for-${name}`)) === 'Bound');
      await h.client.delete(PVCS, 'default', `for-${name}`);
      const failed = await h.waitFor(`${name} Failed`, async () => {
        const got = await h.get(PVS, name);
        return phase(got) === 'Failed' ? got : undefined;
      });
      assert.ok((failed.status as any).message, `${name} says why`);
    }
    assert.match((await h.get(PVS, 'host-root')).status?.['message' as never] ?? '', /host_path deleter only supports/);
    assert.ok(canaryAlive(canaryOutsideNfs));
    assert.ok(canaryAlive(canaryOutsideHost));
    assert.ok(fs.existsSync(hostRoot));
  } finally {
    await h.close();
  }
});
