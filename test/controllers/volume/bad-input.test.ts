// Must-hold 2 from the controller's side: input the API server refuses (invalid access mode,
// negative or unparseable size, a changed PV source, a shrunk claim) changes nothing on disk.
// Plus the pure matcher's rules for delayed binding and volume modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatusError } from '../../../src/api/errors.js';
import { findBestMatchForClaim, volumeUnsuitableReason } from '../../../src/controllers/volume/volume-match.js';
import { CLASSES, PVCS, PVS, claim, holdsFor, nfsVolume, phase, startVolumeHarness, storageClass } from './harness.js';

async function rejected(p: Promise<unknown>, code: number): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail('the API server accepted it');
}

test('refused claims and PV edits leave the export untouched', async () => {
  const h = await startVolumeHarness();
  try {
    await h.create(CLASSES, storageClass('managed-nfs-storage', 'fuseim.pri/ifs'));
    const exportDir = path.join(h.dataDir, 'nfs', '127.0.0.1', 'exports');
    const bad = claim('bad-mode', { className: 'managed-nfs-storage' });
    (bad.spec as any).accessModes = ['ReadWriteSometimes'];
    const e1 = await rejected(h.create(PVCS, bad), 422);
    assert.equal(e1.reason, 'Invalid');
    await rejected(h.create(PVCS, claim('negative', { className: 'managed-nfs-storage', size: '-1Gi' })), 422);
    // An unparseable quantity fails decoding, as upstream: 400 BadRequest.
    const e3 = await rejected(h.create(PVCS, claim('garbage', { className: 'managed-nfs-storage', size: 'lots' })), 400);
    assert.match(e3.message, /quantities must match the regular expression/);

    await h.create(PVCS, claim('good', { className: 'managed-nfs-storage', size: '1Gi' }));
    const bound = await h.waitFor('good Bound', async () => {
      const c = await h.get(PVCS, 'good');
      return phase(c) === 'Bound' ? c : undefined;
    });
    const before = fs.readdirSync(exportDir);
    const shrink = await rejected(h.client.patch(PVCS, 'default', 'good', 'merge', { spec: { resources: { requests: { storage: '100Mi' } } } }), 422);
    assert.match(shrink.message, /field can not be less than status.capacity/);
    const pvName = (bound.spec as any).volumeName as string;
    const move = await rejected(h.client.patch(PVS, undefined, pvName, 'merge', { spec: { nfs: { path: '/elsewhere' } } }), 422);
    assert.match(move.message, /immutable/);
    await holdsFor(400, () => (JSON.stringify(fs.readdirSync(exportDir)) !== JSON.stringify(before) ? 'the export changed' : undefined));
    assert.deepEqual((await h.client.list(PVS, undefined)).items.map((p) => p.metadata.name), [pvName]);
  } finally {
    await h.close();
  }
});

test('matcher: delayed claims take only pre-bound volumes; volume modes must agree', () => {
  const c = claim('c', { className: 'x', size: '1Gi' });
  c.metadata.namespace = 'default';
  c.metadata.uid = 'u1';
  const free = nfsVolume('free', 's', '/a', { className: 'x', size: '1Gi' });
  free.status = { phase: 'Available' };
  assert.equal(findBestMatchForClaim(c, [free], false)?.metadata.name, 'free');
  assert.equal(findBestMatchForClaim(c, [free], true), undefined, 'the scheduler picks for delayed claims');
  const pre = nfsVolume('pre', 's', '/b', { className: 'x', size: '1Gi' });
  (pre.spec as any).claimRef = { namespace: 'default', name: 'c' };
  pre.status = { phase: 'Available' };
  assert.equal(findBestMatchForClaim(c, [pre], true)?.metadata.name, 'pre');
  const block = nfsVolume('block', 's', '/c', { className: 'x', size: '1Gi' });
  (block.spec as any).volumeMode = 'Block';
  block.status = { phase: 'Available' };
  assert.equal(findBestMatchForClaim(c, [block], false), undefined);
  assert.equal(volumeUnsuitableReason(block, c), 'incompatible volumeMode');
  assert.equal(volumeUnsuitableReason(nfsVolume('tiny', 's', '/d', { className: 'x', size: '1Mi' }), c), 'requested PV is too small');
  assert.equal(volumeUnsuitableReason(nfsVolume('other', 's', '/d', { className: 'y', size: '1Gi' }), c), 'storageClassName does not match');
});
