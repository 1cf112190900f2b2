// Catalogue §14.7: persistentVolumeClaimRetentionPolicy (P1–P11) and §9's claim labels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject, OwnerReference } from '../../../src/api/object.js';
import { isClaimOwnerUpToDate } from '../../../src/controllers/statefulset/claim-retention.js';
import { claimsForPod, newStatefulSetPod } from '../../../src/controllers/statefulset/pod-identity.js';
import { FakeCluster, internalError, newSet, type SetOptions } from './fake-cluster.js';

type Policy = { whenScaled: 'Retain' | 'Delete'; whenDeleted: 'Retain' | 'Delete' };
const POLICIES: Policy[] = [
  { whenScaled: 'Retain', whenDeleted: 'Retain' },
  { whenScaled: 'Retain', whenDeleted: 'Delete' },
  { whenScaled: 'Delete', whenDeleted: 'Retain' },
  { whenScaled: 'Delete', whenDeleted: 'Delete' },
];
const label = (p: Policy) => `whenScaled=${p.whenScaled}/whenDeleted=${p.whenDeleted}`;

function refKinds(c: FakeCluster, claim: string): string[] {
  return (c.claims.get(claim)?.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}${r.controller ? '' : '(non-controller)'}`);
}

async function running(o: SetOptions): Promise<FakeCluster> {
  const c = new FakeCluster(newSet(o));
  await c.converge();
  return c;
}

test('P1 whenDeleted Delete: every claim is controlled by the set; deleting the set removes them', async () => {
  const c = await running({ replicas: 3, whenDeleted: 'Delete' });
  for (const n of ['www-web-0', 'www-web-1', 'www-web-2']) assert.deepEqual(refKinds(c, n), ['StatefulSet/web']);
  const ref = c.claims.get('www-web-0')!.metadata.ownerReferences![0]!;
  assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-set-web', controller: true, blockOwnerDeletion: true });
  c.deleteSetObject();
  c.collectGarbage();
  assert.equal(c.claims.size, 0);
});

test('P2 whenScaled Delete: scaling 3→1 leaves only www-web-0', async () => {
  const c = await running({ replicas: 3, whenScaled: 'Delete' });
  c.scale(1);
  await c.converge();
  assert.deepEqual([...c.claims.keys()], ['www-web-0']);
});

for (const p of POLICIES) {
  test(`P3 ownerRef matrix for in-range and condemned pods (${label(p)})`, async () => {
    const c = await running({ replicas: 3, ...p });
    const inRange = p.whenDeleted === 'Delete' ? ['StatefulSet/web'] : [];
    for (const n of ['www-web-0', 'www-web-1', 'www-web-2']) assert.deepEqual(refKinds(c, n), inRange, n);
    c.graceful = true;
    c.scale(1);
    await c.sync();
    // Condemned claims are fixed before the first condemned pod is deleted.
    assert.deepEqual(c.deleted, ['web-2']);
    for (const [n, pod] of [['www-web-1', 'web-1'], ['www-web-2', 'web-2']]) {
      const want = p.whenScaled === 'Delete' ? [`Pod/${pod}`] : p.whenDeleted === 'Delete' ? ['StatefulSet/web'] : [];
      assert.deepEqual(refKinds(c, n!), want, n);
    }
    assert.deepEqual(refKinds(c, 'www-web-0'), inRange);
    const podRef = c.claims.get('www-web-2')!.metadata.ownerReferences?.find((r) => r.kind === 'Pod');
    if (podRef) assert.equal(podRef.uid, c.pod('web-2').metadata.uid);
  });
}

for (const whenDeleted of ['Retain', 'Delete'] as const) {
  test(`P4 a claim still naming an earlier web-2 blocks its re-creation until the claim is gone (whenDeleted ${whenDeleted})`, async () => {
    const c = await running({ replicas: 3, whenScaled: 'Delete', whenDeleted });
    c.gc = false; // the garbage collector has not caught up
    c.scale(2);
    await c.converge();
    assert.deepEqual(refKinds(c, 'www-web-2'), ['Pod/web-2']);
    const refsBefore = JSON.stringify(c.claims.get('www-web-2')!.metadata.ownerReferences);
    c.scale(3);
    for (let i = 0; i < 10; i++) { await c.sync(); c.readyAll(); }
    assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
    assert.equal(c.status().replicas, 2);
    assert.equal(JSON.stringify(c.claims.get('www-web-2')!.metadata.ownerReferences), refsBefore);
    const oldUid = c.claims.get('www-web-2')!.metadata.uid;
    c.claims.delete('www-web-2');
    c.gc = true;
    await c.converge();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
    assert.notEqual(c.claims.get('www-web-2')!.metadata.uid, oldUid);
    assert.equal(c.status().replicas, 3);
  });
}

test('P5 a claim controlled by another controller survives scale-down (ConflictingController), and follows the policy once freed', async () => {
  const c = new FakeCluster(newSet({ replicas: 3, whenScaled: 'Delete' }));
  const foreign: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'uid-cm', controller: true };
  await c.createClaim('default', { metadata: { name: 'www-web-1', ownerReferences: [foreign] } });
  await c.converge();
  c.scale(0);
  await c.converge();
  assert.deepEqual([...c.claims.keys()], ['www-web-1']);
  assert.deepEqual(c.claims.get('www-web-1')!.metadata.ownerReferences, [foreign]);
  const warn = c.events.find((e) => e.reason === 'ConflictingController');
  assert.ok(warn);
  assert.equal(warn.type, 'Warning');
  assert.equal(warn.message, 'PersistentVolumeClaim www-web-1 has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim');
  delete c.claims.get('www-web-1')!.metadata.ownerReferences;
  c.scale(2);
  await c.converge();
  c.scale(1);
  await c.converge();
  assert.deepEqual([...c.claims.keys()], ['www-web-0']);
});

test('P6 whenDeleted Delete with foreign refs: non-controller refs kept beside ours; a foreign controller is left alone; a non-controller ref of ours is fixed', async () => {
  const c = await running({ replicas: 4 });
  const cmRef: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'uid-cm' };
  const otherSet: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'unknown', uid: 'uid-unknown', controller: true };
  c.claims.get('www-web-1')!.metadata.ownerReferences = [cmRef];
  c.claims.get('www-web-3')!.metadata.ownerReferences = [otherSet];
  c.claims.get('www-web-3')!.metadata.finalizers = ['keep'];
  c.updateSpec((s) => { s.persistentVolumeClaimRetentionPolicy.whenDeleted = 'Delete'; });
  await c.converge();
  assert.deepEqual(refKinds(c, 'www-web-0'), ['StatefulSet/web']);
  assert.deepEqual(refKinds(c, 'www-web-2'), ['StatefulSet/web']);
  assert.deepEqual(refKinds(c, 'www-web-1'), ['ConfigMap/cm(non-controller)', 'StatefulSet/web']);
  assert.deepEqual(c.claims.get('www-web-3')!.metadata.ownerReferences, [otherSet]);
  c.claims.get('www-web-0')!.metadata.ownerReferences![0]!.controller = false;
  await c.converge();
  assert.equal(c.claims.get('www-web-0')!.metadata.ownerReferences![0]!.controller, true);
  c.deleteSetObject();
  c.collectGarbage();
  assert.ok(!c.claims.has('www-web-0'));
  assert.ok(!c.claims.has('www-web-2'));
  assert.ok(c.claims.has('www-web-1'));
  assert.ok(c.claims.has('www-web-3'));
});

for (const policy of [{ whenDeleted: 'Delete' as const }, { whenScaled: 'Delete' as const }]) {
  test(`P7 claims of a re-adopted pod follow the policy (${JSON.stringify(policy)})`, async () => {
    const c = await running({ replicas: 3, ...policy });
    // web-2 orphaned, then adopted again by the plumbing: its ownerRef comes back.
    const pod = c.pod('web-2');
    const ref = pod.metadata.ownerReferences!;
    pod.metadata.ownerReferences = [];
    // Not ours any more: the name is taken, creating it again fails until it is adopted.
    const err = await c.trySync();
    assert.match(String(err), /already exists/);
    pod.metadata.ownerReferences = ref;
    await c.converge();
    if (policy.whenDeleted) {
      c.deleteSetObject();
      c.collectGarbage();
      assert.equal(c.claims.size, 0);
    } else {
      c.scale(1);
      await c.converge();
      assert.deepEqual([...c.claims.keys()], ['www-web-0']);
    }
  });
}

test('P8 claims of adopted pods follow the matrix; a claim of a non-member (xfoo-2) is untouched', async () => {
  for (const p of POLICIES) {
    const set = newSet({ name: 'foo', replicas: 2, ...p });
    const c = new FakeCluster(set);
    await c.converge();
    await c.createClaim('default', { metadata: { name: 'www-foo-2' } });
    c.scale(0);
    c.graceful = true;
    await c.sync();
    const condemned = p.whenScaled === 'Delete' ? ['Pod/foo-1'] : p.whenDeleted === 'Delete' ? ['StatefulSet/foo'] : [];
    assert.deepEqual(refKinds(c, 'www-foo-1'), condemned, label(p));
    assert.deepEqual(refKinds(c, 'www-foo-2'), [], label(p));
  }
});

for (const p of POLICIES) {
  test(`P9 OnDelete: update, scale to 0 and back leaves no claim referring to a pod (${label(p)})`, async () => {
    const c = await running({ replicas: 3, strategy: 'OnDelete', ...p });
    const noPodRefs = () => {
      for (const [n, cl] of c.claims) assert.ok(!(cl.metadata.ownerReferences ?? []).some((r) => r.kind === 'Pod'), `${n}: ${refKinds(c, n)}`);
    };
    c.setImage('foo');
    for (const n of c.podNames()) c.removePod(n);
    await c.converge();
    noPodRefs();
    c.scale(0);
    await c.converge();
    noPodRefs();
    c.scale(3);
    await c.converge();
    noPodRefs();
  });
}

for (const p of POLICIES) {
  test(`P10 scale 3→0 with a delete failing after 2: InternalError, then completes with replicas/ready/updated 0 (${label(p)})`, async () => {
    const c = await running({ replicas: 3, ...p });
    let deletes = 0;
    c.onCall('deletePod', () => (++deletes === 3 ? internalError() : undefined));
    c.scale(0);
    let errors = 0;
    for (let i = 0; i < 10; i++) if (await c.trySync()) errors++;
    assert.equal(errors, 1);
    const s = c.status();
    assert.deepEqual([s.replicas, s.readyReplicas ?? 0, s.updatedReplicas ?? 0], [0, 0, 0]);
    assert.equal(c.pods.size, 0);
  });
}

test('P11 isClaimOwnerUpToDate over policies × refs', () => {
  const set = newSet({ name: 'foo', replicas: 2 });
  const podIn = { ...newStatefulSetPod(set, 1), metadata: { ...newStatefulSetPod(set, 1).metadata, uid: 'pod-1' } };
  const podOut = { ...newStatefulSetPod(set, 2), metadata: { ...newStatefulSetPod(set, 2).metadata, uid: 'pod-2' } };
  const setRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'uid-set-foo', controller: true, blockOwnerDeletion: true };
  const podRef = (pod: KObject): OwnerReference => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true });
  const foreign: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' };
  const claim = (refs: OwnerReference[]): KObject => ({ metadata: { name: 'c', ownerReferences: refs } });
  const withPolicy = (p: Policy) => ({ ...set, spec: { ...(set.spec as object), persistentVolumeClaimRetentionPolicy: p } }) as KObject;
  const check = (p: Policy, pod: KObject, expected: 'none' | 'set' | 'pod') => {
    const s = withPolicy(p);
    const options: Record<string, OwnerReference[]> = { none: [], set: [setRef], pod: [podRef(pod)], both: [setRef, podRef(pod)] };
    for (const [name, refs] of Object.entries(options)) {
      for (const extra of [[], [foreign]]) {
        const got = isClaimOwnerUpToDate(claim([...refs, ...extra]), s, pod);
        assert.equal(got, name === expected, `${label(p)} pod ${pod.metadata.name} refs ${name}${extra.length ? '+foreign' : ''}`);
      }
    }
  };
  check(POLICIES[0]!, podIn, 'none');
  check(POLICIES[0]!, podOut, 'none');
  check(POLICIES[1]!, podIn, 'set');
  check(POLICIES[1]!, podOut, 'set');
  check(POLICIES[2]!, podIn, 'none');
  check(POLICIES[2]!, podOut, 'pod');
  check(POLICIES[3]!, podIn, 'set');
  check(POLICIES[3]!, podOut, 'pod');
  // Stale refs (our names, other UIDs) mean "leave it alone".
  const stale = { ...podRef(podOut), uid: 'old' };
  assert.equal(isClaimOwnerUpToDate(claim([stale]), withPolicy(POLICIES[3]!), podOut), true);
});

test('§9 claim objects: named <template>-<set>-<ordinal>, labels = template labels overlaid by selector matchLabels', () => {
  const set = newSet({ name: 'web' });
  (set.spec as any).volumeClaimTemplates[0].metadata.labels = { tier: 'db', app: 'from-template' };
  const [claim] = [...claimsForPod(set, newStatefulSetPod(set, 3)).values()];
  assert.equal(claim!.metadata.name, 'www-web-3');
  assert.equal(claim!.metadata.namespace, 'default');
  assert.deepEqual(claim!.metadata.labels, { tier: 'db', app: 'nginx' });
  assert.deepEqual((claim as any).spec, (set.spec as any).volumeClaimTemplates[0].spec);
  const bare = newSet({ name: 'web' });
  assert.deepEqual([...claimsForPod(bare, newStatefulSetPod(bare, 0)).values()][0]!.metadata.labels, { app: 'nginx' });
});
