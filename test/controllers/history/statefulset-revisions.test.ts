// Catalogue §14.3 (H1–H4, H6–H10, H12): how a sync picks, creates, renumbers and trims a
// StatefulSet's ControllerRevisions, asserted through the writes made and the names chosen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import {
  getStatefulSetRevisions,
  hashControllerRevision,
  newHistory,
  newRevision,
  sortRevisions,
  statefulSetPatch,
  truncateHistory,
} from '../../../src/controllers/history/index.js';
import { FakeRevisionClient } from './fake-revision-client.js';
import { compatibilityRevision133, compatibilitySet133, podOf, webSet, withImage, withStatus } from './fixtures.js';

function setup(initial: KObject[] = []) {
  const fake = new FakeRevisionClient(initial);
  const history = newHistory(fake.client(), fake.lister());
  const list = (set: KObject) => history.listControllerRevisions(set, (set.spec as any).selector);
  return { fake, history, list };
}

/** One sync's revision work, as the controller does it: then status would record the names. */
async function sync(env: ReturnType<typeof setup>, set: KObject) {
  const revs = await getStatefulSetRevisions(env.history, set, env.list(set));
  return { ...revs, set: withStatus(set, { currentRevision: revs.currentRevision.metadata.name, updateRevision: revs.updateRevision.metadata.name, collisionCount: revs.collisionCount }) };
}

test('H1: a set without revisions gets revision 1, current == update', async () => {
  const env = setup();
  const r = await sync(env, webSet());
  assert.equal(env.fake.list().length, 1);
  assert.equal(r.updateRevision.revision, 1);
  assert.equal(r.currentRevision.metadata.name, r.updateRevision.metadata.name);
  assert.equal(r.collisionCount, 0);
  assert.deepEqual(env.fake.writes().map((c) => c.verb), ['create']);
});

test('H2: a template change creates revision 2; current stays revision 1', async () => {
  const env = setup();
  const first = await sync(env, webSet('nginx:1'));
  const second = await sync(env, withImage(first.set, 'nginx:2'));
  assert.equal(env.fake.list().length, 2);
  assert.equal(second.currentRevision.metadata.name, first.updateRevision.metadata.name);
  assert.equal(second.currentRevision.revision, 1);
  assert.equal(second.updateRevision.revision, 2);
  assert.notEqual(second.updateRevision.metadata.name, first.updateRevision.metadata.name);
});

test('H3: the same template again creates nothing and keeps the newest as update', async () => {
  const env = setup();
  const first = await sync(env, webSet('nginx:1'));
  const second = await sync(env, withImage(first.set, 'nginx:2'));
  const before = env.fake.writes().length;
  const third = await sync(env, second.set);
  assert.equal(env.fake.list().length, 2);
  assert.equal(env.fake.writes().length, before);
  assert.equal(third.updateRevision.metadata.name, second.updateRevision.metadata.name);
});

test('H4: going back to an older template renumbers that revision (rollback), no new object', async () => {
  const env = setup();
  const r0 = await sync(env, webSet('nginx:1'));
  const r1 = await sync(env, withImage(r0.set, 'nginx:2'));
  const r2 = await sync(env, withImage(r1.set, 'nginx:3'));
  // status.currentRevision is still rev 1 (the rollout never completed).
  const back = withStatus(withImage(r2.set, 'nginx:2'), { currentRevision: r0.updateRevision.metadata.name });
  const before = env.fake.writes().length;
  const r3 = await sync(env, back);
  assert.equal(env.fake.list().length, 3);
  assert.equal(r3.updateRevision.metadata.name, r1.updateRevision.metadata.name);
  assert.equal(r3.updateRevision.revision, 4);
  assert.equal(r3.currentRevision.metadata.name, r0.updateRevision.metadata.name);
  assert.deepEqual(env.fake.writes().slice(before), [{ verb: 'update', name: r1.updateRevision.metadata.name }]);
  assert.deepEqual(sortRevisions(env.fake.list()).map((r) => r.revision), [1, 3, 4]);
});

test('H4: the rollback renumbering retries on conflict', async () => {
  const env = setup();
  const r0 = await sync(env, webSet('nginx:1'));
  const r1 = await sync(env, withImage(r0.set, 'nginx:2'));
  env.fake.conflictsToInject = 2;
  const r2 = await sync(env, withImage(r1.set, 'nginx:1'));
  assert.equal(r2.updateRevision.metadata.name, r0.updateRevision.metadata.name);
  assert.equal(r2.updateRevision.revision, 3);
});

test('H6: replicas, strategy, minReadySeconds, PVC policy, set labels and annotations make no revision', async () => {
  const env = setup();
  const first = await sync(env, webSet());
  const changed = structuredClone(first.set);
  Object.assign(changed.spec as object, {
    replicas: 7,
    updateStrategy: { type: 'OnDelete' },
    minReadySeconds: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    revisionHistoryLimit: 3,
  });
  changed.metadata.labels = { tier: 'db' };
  changed.metadata.annotations = { note: 'hi' };
  const before = env.fake.writes().length;
  const second = await sync(env, changed);
  assert.equal(env.fake.writes().length, before);
  assert.equal(second.updateRevision.metadata.name, first.updateRevision.metadata.name);
});

for (const limit of [2, 0, 5, -2]) {
  test(`H7: 10 rolled-out image changes keep at most limit+2 revisions (limit ${limit})`, async () => {
    const env = setup();
    let set = webSet('img:0', { limit });
    for (let i = 1; i <= 10; i++) {
      const r = await sync(env, withImage(set, `img:${i}`));
      // The rollout completes: every pod on the update revision, current promoted.
      set = withStatus(r.set, { currentRevision: r.updateRevision.metadata.name });
      const pods = [0, 1, 2].map((o) => podOf(set, o, r.updateRevision.metadata.name!));
      await truncateHistory(env.history, set, pods, env.list(set), r.updateRevision, r.updateRevision);
      const count = env.fake.list().length;
      if (limit >= 0) assert.ok(count <= limit + 2, `after change ${i}: ${count} revisions`);
      else assert.equal(count, i);
    }
  });
}

test('H8: with status never written (current stays the first revision), history stays within limit+2', async () => {
  const env = setup();
  const limit = 2;
  const initial = webSet('img:0', { limit });
  const r0 = await sync(env, initial);
  const stale = r0.set; // status as of the first sync, never updated again
  for (let i = 1; i <= 15; i++) {
    const set = withImage(stale, `img:${i}`);
    const r = await sync(env, set);
    const pods = [0, 1, 2].map((o) => podOf(set, o, r.updateRevision.metadata.name!));
    await truncateHistory(env.history, set, pods, env.list(set), r.currentRevision, r.updateRevision);
    assert.ok(env.fake.list().length <= limit + 2, `after change ${i}: ${env.fake.list().length}`);
  }
});

test('truncation keeps revisions that pods still run', async () => {
  const env = setup();
  let set = webSet('img:0', { limit: 0 });
  const names: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await sync(env, withImage(set, `img:${i}`));
    set = r.set;
    names.push(r.updateRevision.metadata.name!);
  }
  const pods = [podOf(set, 0, names[0]), podOf(set, 1, names[1])];
  const deleted = await truncateHistory(env.history, set, pods, env.list(set), undefined, env.list(set).find((r) => r.metadata.name === names[3]));
  assert.deepEqual(deleted, [names[2]]);
  assert.deepEqual(env.fake.list().map((r) => r.metadata.name).sort(), [names[0], names[1], names[3]].sort());
});

test('H9: a name taken by different data bumps the collision count and renames', async () => {
  const set = webSet('nginx:1');
  const wanted = newRevision(set, 1, 0);
  const squatter: KObject = { ...newRevision(webSet('other'), 1, 0), metadata: { ...wanted.metadata, ownerReferences: [] , labels: { other: 'x' } } };
  const env = setup([squatter]);
  const r = await sync(env, set);
  assert.equal(r.collisionCount, 1);
  const expected = `web-${hashControllerRevision(statefulSetPatch(set), 1)}`;
  assert.equal(r.updateRevision.metadata.name, expected);
  assert.notEqual(expected, wanted.metadata.name);
  assert.equal((r.set.status as any).collisionCount, 1);
  // Upstream keeps the hash label computed before the collision.
  assert.equal(r.updateRevision.metadata.labels!['controller.kubernetes.io/hash'], wanted.metadata.labels!['controller.kubernetes.io/hash']);
});

test('H9: a name taken by identical data is reused without a collision', async () => {
  const set = webSet('nginx:1');
  const orphanTwin: KObject = { ...newRevision(set, 1, 0), metadata: { ...newRevision(set, 1, 0).metadata, ownerReferences: [], labels: { unrelated: 'yes' } } };
  const env = setup([orphanTwin]);
  const r = await sync(env, set);
  assert.equal(r.collisionCount, 0);
  assert.equal(r.updateRevision.metadata.name, orphanTwin.metadata.name);
  assert.equal(env.fake.list().length, 1);
});

test('H10: objects as 1.33 wrote them cause no write at all', async () => {
  const set = compatibilitySet133();
  const rev = compatibilityRevision133();
  const env = setup([rev]);
  const r = await getStatefulSetRevisions(env.history, set, env.list(set));
  const pods = [{ ...podOf(set, 0, 'test-c77f6d978'), metadata: { ...podOf(set, 0, 'test-c77f6d978').metadata, labels: { app: 'foo', 'controller-revision-hash': 'test-c77f6d978' } } }];
  await truncateHistory(env.history, set, pods, env.list(set), r.currentRevision, r.updateRevision);
  assert.deepEqual(env.fake.writes(), []);
  assert.equal(r.updateRevision.metadata.name, 'test-c77f6d978');
  assert.equal(r.currentRevision.metadata.name, 'test-c77f6d978');
  assert.equal(r.collisionCount, 0);
  assert.deepEqual(env.fake.list(), [rev]);
});

test('#135017: a revision differing only in serialisation (no creationTimestamp: null, omitempty zeros) still matches', async () => {
  const set = compatibilitySet133();
  const rev = compatibilityRevision133();
  // 1.34 wrote the template metadata without creationTimestamp, and an explicit zero that Go drops.
  delete (rev.data as any).spec.template.metadata.creationTimestamp;
  (rev.data as any).spec.template.spec.hostNetwork = false;
  const env = setup([rev]);
  const r = await getStatefulSetRevisions(env.history, set, env.list(set));
  assert.deepEqual(env.fake.writes(), []);
  assert.equal(r.updateRevision.metadata.name, 'test-c77f6d978');
  // With the gate off, byte comparison makes a new revision, as 1.34.0 did; here the name
  // it wants is taken by the stored revision's different bytes, so it also collides once.
  const env2 = setup([rev]);
  const r2 = await getStatefulSetRevisions(env2.history, set, env2.list(set), { semantic: false });
  assert.deepEqual(env2.fake.writes().map((c) => c.verb), ['create', 'create']);
  assert.equal(r2.updateRevision.revision, 2);
  assert.equal(r2.collisionCount, 1);
});

test('#135017: a defaulter lets a revision missing a since-defaulted field match', async () => {
  const set = compatibilitySet133();
  const rev = compatibilityRevision133();
  delete (rev.data as any).spec.template.spec.schedulerName;
  const defaulter = (t: Record<string, unknown>) => {
    const spec = t.spec as Record<string, unknown>;
    spec.schedulerName ??= 'default-scheduler';
  };
  const env = setup([rev]);
  const r = await getStatefulSetRevisions(env.history, set, env.list(set), { defaulter });
  assert.deepEqual(env.fake.writes(), []);
  assert.equal(r.updateRevision.metadata.name, 'test-c77f6d978');
});

test('listing: revisions of other controllers are left out, orphans matching the selector are in', async () => {
  const set = webSet();
  const mine = newRevision(set, 1, 0);
  const orphan: KObject = { ...newRevision(withImage(set, 'x'), 2, 0), metadata: { ...newRevision(withImage(set, 'x'), 2, 0).metadata, ownerReferences: [] } };
  const foreign: KObject = { ...newRevision(withImage(set, 'y'), 3, 0), metadata: { ...newRevision(withImage(set, 'y'), 3, 0).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'other', uid: 'other-uid', controller: true }] } };
  const unmatched: KObject = { ...newRevision(withImage(set, 'z'), 4, 0), metadata: { ...newRevision(withImage(set, 'z'), 4, 0).metadata, labels: { app: 'db' }, ownerReferences: [] } };
  const env = setup([mine, orphan, foreign, unmatched]);
  assert.deepEqual(env.list(set).map((r) => r.metadata.name).sort(), [mine.metadata.name, orphan.metadata.name].sort());
});

test('H12: adopting an orphan revision gives it a controllerRef to the set; releasing removes it', async () => {
  const set = webSet();
  const orphan: KObject = { ...newRevision(set, 1, 0), metadata: { ...newRevision(set, 1, 0).metadata, ownerReferences: [], uid: 'rev-uid' } };
  const env = setup([orphan]);
  const adopted = await env.history.adoptControllerRevision(set, orphan);
  assert.deepEqual(adopted.metadata.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'web-uid', controller: true, blockOwnerDeletion: true },
  ]);
  await assert.rejects(env.history.adoptControllerRevision(set, adopted), /attempt to adopt revision owned by/);
  const released = await env.history.releaseControllerRevision(set, adopted);
  assert.deepEqual(released?.metadata.ownerReferences ?? [], []);
  assert.equal(await env.history.releaseControllerRevision(set, { ...adopted, metadata: { ...adopted.metadata, name: 'gone' } }), undefined);
});
