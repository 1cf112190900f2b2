// Catalogue rows A1, A2, C16, H12: adoption and release through the ControllerRefManager equivalent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../../src/api/object.js';
import { StatusError } from '../../../../src/api/errors.js';
import { adoptOrphanRevisions, claimPods, decideClaim, recheckSet, type ClaimDeps } from '../../../../src/controllers/statefulset/claim-objects.js';
import { ownerRef, pod, set } from './fixtures.js';

function recordingDeps(canAdopt: () => Promise<void> = async () => {}) {
  const patches: { name: string; patch: any }[] = [];
  let checks = 0;
  const deps: ClaimDeps = {
    async patch(obj, patch) {
      patches.push({ name: obj.metadata.name!, patch });
      const out = structuredClone(obj);
      const refs = (patch as any).metadata.ownerReferences as any[];
      if (refs[0].$patch === 'delete') out.metadata.ownerReferences = (out.metadata.ownerReferences ?? []).filter((r) => r.uid !== refs[0].uid);
      else out.metadata.ownerReferences = [...(out.metadata.ownerReferences ?? []), refs[0]];
      return out;
    },
    canAdopt: async () => { checks++; await canAdopt(); },
  };
  return { deps, patches, checks: () => checks };
}

test('A1: owned and matching orphans are claimed; orphans without labels or with another name are ignored', async () => {
  const foo = set('foo');
  const pods = [pod('foo-1', { owner: foo }), pod('foo-2'), pod('foo-3', { labels: null }), pod('xfoo-4')];
  const { deps, patches, checks } = recordingDeps();
  const claimed = await claimPods(foo, pods, deps);
  assert.deepEqual(claimed.map((p) => p.metadata.name), ['foo-1', 'foo-2']);
  assert.deepEqual(patches.map((p) => p.name), ['foo-2']);
  assert.deepEqual(patches[0]!.patch, { metadata: { ownerReferences: [ownerRef(foo)], uid: 'uid-pod-foo-2' } });
  assert.equal(claimed[1]!.metadata.ownerReferences?.[0]?.uid, 'uid-foo');
  assert.equal(checks(), 1);
});

test('A2: owned pods that no longer match are released; unlabelled orphans ignored', async () => {
  const foo = set('foo');
  const pods = [pod('foo-1', { owner: foo }), pod('xfoo-2', { owner: foo }), pod('foo-3', { owner: foo, labels: null }), pod('foo-4', { labels: null })];
  const { deps, patches, checks } = recordingDeps();
  const claimed = await claimPods(foo, pods, deps);
  assert.deepEqual(claimed.map((p) => p.metadata.name), ['foo-1']);
  assert.deepEqual(patches.map((p) => p.name), ['xfoo-2', 'foo-3']);
  assert.deepEqual(patches[0]!.patch, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-foo' }], uid: 'uid-pod-xfoo-2' } });
  assert.equal(checks(), 0, 'release needs no adoption check');
});

test('pods controlled by another controller are ignored, matching or not', () => {
  const foo = set('foo');
  const other = set('other', { uid: 'uid-other' });
  assert.equal(decideClaim(foo, pod('foo-0', { owner: other }), true), 'ignore');
  assert.equal(decideClaim(foo, pod('foo-0', { owner: other }), false), 'ignore');
});

test('a set being deleted adopts nothing and releases nothing; terminating orphans are not adopted', () => {
  const dying = set('foo', { deleting: true });
  assert.equal(decideClaim(dying, pod('foo-0'), true), 'ignore');
  assert.equal(decideClaim(dying, pod('foo-0', { owner: dying }), false), 'ignore');
  assert.equal(decideClaim(set('foo'), pod('foo-0', { deleting: true }), true), 'ignore');
});

test('C16: the uncached re-check refuses adoption when the live set is being deleted or was re-created', async () => {
  const cached = set('foo');
  const live = structuredClone(cached);
  live.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
  const { deps, patches } = recordingDeps(() => recheckSet(cached, async () => live));
  await assert.rejects(claimPods(cached, [pod('foo-1')], deps), /can't adopt Pod default\/foo-1 .*has just been deleted/);
  await assert.rejects(adoptOrphanRevisions(cached, [revision('foo-abc')], deps), /has just been deleted/);
  assert.equal(patches.length, 0, 'no ownerReference added to the pod or the revision');

  const recreated = { ...structuredClone(cached), metadata: { ...cached.metadata, uid: 'uid-new' } };
  await assert.rejects(recheckSet(cached, async () => recreated), /original StatefulSet default\/foo is gone: got uid uid-new, wanted uid-foo/);
});

function revision(name: string, owner?: KObject): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { name, namespace: 'default', uid: `uid-rev-${name}`, labels: { app: 'foo' }, ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
    revision: 1,
  };
}

test('H12: orphan revisions matching the selector gain a controller reference to the set', async () => {
  const foo = set('foo');
  const { deps, patches } = recordingDeps();
  await adoptOrphanRevisions(foo, [revision('foo-1', foo), revision('foo-2'), { ...revision('foo-3'), metadata: { ...revision('foo-3').metadata, labels: { app: 'x' } } }], deps);
  assert.deepEqual(patches.map((p) => p.name), ['foo-2']);
  assert.deepEqual(patches[0]!.patch, { metadata: { ownerReferences: [ownerRef(foo)], uid: 'uid-rev-foo-2' } });
});

test('an object gone before its patch is neither claimed nor an error; other failures are reported after trying all', async () => {
  const foo = set('foo');
  const calls: string[] = [];
  const deps: ClaimDeps = {
    async patch(obj) {
      calls.push(obj.metadata.name!);
      if (obj.metadata.name === 'foo-1') throw new StatusError(404, 'NotFound', 'pods "foo-1" not found');
      if (obj.metadata.name === 'foo-2') throw new StatusError(500, 'InternalError', 'boom');
      return obj;
    },
    canAdopt: async () => {},
  };
  await assert.rejects(claimPods(foo, [pod('foo-1'), pod('foo-2'), pod('foo-3')], deps), /boom/);
  assert.deepEqual(calls, ['foo-1', 'foo-2', 'foo-3']);
});
