// Volumes and scheduling: missing claims and unbound Immediate claims keep the pod unbound
// with upstream's messages; WaitForFirstConsumer claims get the selected-node annotation and
// the pod binds only once they are bound; a bound PV's node affinity steers the pod.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, bindClaim, claim, node, podWithClaim, poll, preemption, startCluster, storageClass, volume } from './harness.js';
import { waitFor } from '../../support/wait.js';

test('a missing claim makes the pod unschedulable until the claim exists and is bound', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.pods, podWithClaim('app', 'data'));
    await c.waitUnschedulable('app', `0/1 nodes are available: persistentvolumeclaim "data" not found. ${preemption(1)}`);
    // An explicit "" class: without it the default class (standard, WaitForFirstConsumer) applies.
    await c.create(R.pvcs, claim('data', ''));
    await c.waitUnschedulable('app', `0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${preemption(1)}`);
    await c.create(R.pvs, volume('pv-data'));
    await bindClaim(c, 'data', 'pv-data');
    assert.equal(await c.waitBound('app'), 'n1');
  } finally {
    await c.close();
  }
});

test('an unbound claim of an Immediate class: not bound, PodScheduled=False Unschedulable, FailedScheduling', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.classes, storageClass('fast', 'Immediate'));
    await c.create(R.pvcs, claim('data', 'fast'));
    await c.create(R.pods, podWithClaim('app', 'data'));
    const message = `0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${preemption(1)}`;
    const cond = await c.waitUnschedulable('app', message);
    assert.equal(cond.reason, 'Unschedulable');
    const failed = await waitFor(async () => (await c.eventsFor('app')).find((e) => e.reason === 'FailedScheduling'), { ...poll, what: 'FailedScheduling' });
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, message);
    await c.assertStaysUnbound('app', 300);
    // The scheduler does not touch Immediate claims.
    const pvc = await c.get(R.pvcs, 'data');
    assert.equal(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'], undefined);
  } finally {
    await c.close();
  }
});

test('WaitForFirstConsumer: the claim gets selected-node, and the pod is bound only after the claim is', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1', { ready: 'False' }));
    await c.create(R.nodes, node('n2'));
    await c.create(R.classes, storageClass('local', 'WaitForFirstConsumer'));
    await c.create(R.pvcs, claim('data', 'local'));
    await c.create(R.pods, podWithClaim('app', 'data'));
    const annotated = await waitFor(
      async () => (await c.get(R.pvcs, 'data')).metadata.annotations?.['volume.kubernetes.io/selected-node'],
      { ...poll, what: 'selected-node annotation' },
    );
    assert.equal(annotated, 'n2');
    // Waiting for the provisioner is not a failure: no condition, no event, no binding.
    await c.assertStaysUnbound('app', 400);
    const p = await c.get(R.pods, 'app');
    assert.equal(((p.status as { conditions?: unknown[] }).conditions ?? []).length, 0);
    assert.deepEqual((await c.eventsFor('app')).map((e) => e.reason), []);

    await c.create(R.pvs, volume('pv-data', { onNode: 'n2', storageClassName: 'local' }));
    await bindClaim(c, 'data', 'pv-data');
    assert.equal(await c.waitBound('app'), 'n2');
    const scheduled = await waitFor(async () => (await c.eventsFor('app')).find((e) => e.reason === 'Scheduled'), { ...poll, what: 'Scheduled' });
    assert.equal(scheduled.message, 'Successfully assigned default/app to n2');
  } finally {
    await c.close();
  }
});

test('WaitForFirstConsumer with a class that cannot provision: an Available PV on a node is pre-bound to the claim', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.nodes, node('n2'));
    await c.create(R.classes, storageClass('static', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'));
    await c.create(R.pvcs, claim('data', 'static'));
    await c.create(R.pods, podWithClaim('app', 'data'));
    await c.waitUnschedulable('app', `0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. ${preemption(2)}`);

    const pv = await c.create(R.pvs, volume('local-n2', { onNode: 'n2', storageClassName: 'static' }));
    await c.client.patch(R.pvs, undefined, pv.metadata.name!, 'merge', { status: { phase: 'Available' } }, { subresource: 'status' });
    const ref = await waitFor(async () => ((await c.get(R.pvs, 'local-n2')).spec as { claimRef?: { name?: string } }).claimRef, {
      ...poll,
      what: 'claimRef on the PV',
    });
    assert.equal(ref.name, 'data');
    await c.assertStaysUnbound('app', 200);
    await bindClaim(c, 'data', 'local-n2');
    assert.equal(await c.waitBound('app'), 'n2');
  } finally {
    await c.close();
  }
});

test("a bound PV's node affinity steers the pod to the matching node, or explains the conflict", async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.nodes, node('n2'));
    await c.create(R.pvs, volume('pv-on-n2', { onNode: 'n2' }));
    await c.create(R.pvcs, claim('data'));
    await bindClaim(c, 'data', 'pv-on-n2');
    await c.create(R.pods, podWithClaim('app', 'data'));
    assert.equal(await c.waitBound('app'), 'n2');

    await c.create(R.pvs, volume('pv-on-n3', { onNode: 'n3' }));
    await c.create(R.pvcs, claim('elsewhere'));
    await bindClaim(c, 'elsewhere', 'pv-on-n3');
    await c.create(R.pods, podWithClaim('stuck', 'elsewhere'));
    await c.waitUnschedulable('stuck', `0/2 nodes are available: 2 node(s) had volume node affinity conflict. ${preemption(2)}`);
  } finally {
    await c.close();
  }
});

test('a WaitForFirstConsumer claim that never binds: the wait ends in a SchedulerError after the bind timeout', async () => {
  const c = await startCluster({ bindTimeoutMs: 300 });
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.classes, storageClass('local', 'WaitForFirstConsumer'));
    await c.create(R.pvcs, claim('data', 'local'));
    await c.create(R.pods, podWithClaim('app', 'data'));
    const cond = await c.waitUnschedulable('app');
    assert.equal(cond.reason, 'SchedulerError');
    assert.equal(cond.message, 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    assert.equal(((await c.get(R.pods, 'app')).spec as { nodeName?: string }).nodeName, undefined);
  } finally {
    await c.close();
  }
});
