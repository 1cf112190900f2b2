// Placement on nodes: the only Ready node gets the pod with a Scheduled event; nodeSelector,
// taints, cordoning and readiness keep pods off nodes with upstream's FailedScheduling text;
// a change to a node brings an unschedulable pod back after its backoff.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, node, pod, poll, preemption, startCluster } from './harness.js';
import { waitFor } from '../../support/wait.js';

test('a pod is bound to the only Ready node, with a Scheduled event from default-scheduler', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.pods, pod('web'));
    assert.equal(await c.waitBound('web'), 'n1');
    const p = await c.get(R.pods, 'web');
    const cond = (p.status as { conditions: Record<string, unknown>[] }).conditions.find((x) => x.type === 'PodScheduled');
    assert.equal(cond?.status, 'True');
    const events = await waitFor(async () => (await c.eventsFor('web')).filter((e) => e.reason === 'Scheduled'), { ...poll, what: 'Scheduled event' });
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'Normal');
    assert.equal(events[0].message, 'Successfully assigned default/web to n1');
    assert.equal((events[0].source as { component?: string }).component, 'default-scheduler');
  } finally {
    await c.close();
  }
});

test('pods of another scheduler, and pods with a node already, are left alone', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1'));
    await c.create(R.pods, pod('other', { schedulerName: 'my-scheduler' }));
    await c.create(R.pods, pod('mine'));
    await c.waitBound('mine');
    await c.assertStaysUnbound('other', 300);
    assert.equal((await c.eventsFor('other')).length, 0);
  } finally {
    await c.close();
  }
});

test('a nodeSelector that no node matches: PodScheduled=False Unschedulable and a FailedScheduling event', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('n1', { labels: { disk: 'hdd' } }));
    await c.create(R.pods, pod('picky', { nodeSelector: { disk: 'ssd' } }));
    const message = `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${preemption(1)}`;
    const cond = await c.waitUnschedulable('picky');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, message);
    const failed = await waitFor(async () => (await c.eventsFor('picky')).find((e) => e.reason === 'FailedScheduling'), { ...poll, what: 'FailedScheduling event' });
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, message);
    assert.equal((failed.source as { component?: string }).component, 'default-scheduler');

    // Labelling the node is a relevant change: the pod is retried and bound.
    await c.client.patch(R.nodes, undefined, 'n1', 'merge', { metadata: { labels: { disk: 'ssd' } } });
    assert.equal(await c.waitBound('picky'), 'n1');
  } finally {
    await c.close();
  }
});

test('required node affinity: expressions select among nodes, matchFields pins by name', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('a', { labels: { zone: 'z1', gen: '3' } }));
    await c.create(R.nodes, node('b', { labels: { zone: 'z2', gen: '5' } }));
    const affinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    await c.create(R.pods, pod('newer', affinity([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }])));
    await c.create(R.pods, pod('not-z2', affinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z2'] }] }])));
    await c.create(R.pods, pod('named', affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }])));
    await c.create(R.pods, pod('ghost', affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }])));
    assert.equal(await c.waitBound('newer'), 'b');
    assert.equal(await c.waitBound('not-z2'), 'a');
    assert.equal(await c.waitBound('named'), 'b');
    const cond = await c.waitUnschedulable('ghost');
    assert.equal(cond.message, `0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. ${preemption(2)}`);
  } finally {
    await c.close();
  }
});

test('no nodes, then a NotReady node, then Ready: the pod is retried and bound', async () => {
  const c = await startCluster();
  try {
    await c.create(R.pods, pod('early'));
    await c.waitUnschedulable('early', 'no nodes available to schedule pods');
    await c.create(R.nodes, node('n1', { ready: 'False' }));
    const notReady = `0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. ${preemption(1)}`;
    await c.waitUnschedulable('early', notReady);
    await c.assertStaysUnbound('early', 200);
    await c.setReady('n1', 'True');
    assert.equal(await c.waitBound('early'), 'n1');
    const reasons = (await c.eventsFor('early')).map((e) => `${e.type} ${e.reason} ${e.message}`);
    assert.ok(reasons.includes('Warning FailedScheduling no nodes available to schedule pods'), reasons.join('\n'));
    assert.ok(reasons.includes(`Warning FailedScheduling ${notReady}`), reasons.join('\n'));
    assert.ok(reasons.includes('Normal Scheduled Successfully assigned default/early to n1'), reasons.join('\n'));
  } finally {
    await c.close();
  }
});

test('a NoSchedule taint keeps pods off unless they tolerate it; a cordoned node likewise', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('tainted', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }));
    await c.create(R.pods, pod('plain'));
    await c.create(R.pods, pod('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    await c.create(R.pods, pod('wrong-value', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] }));
    assert.equal(await c.waitBound('tolerant'), 'tainted');
    const message = `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}. ${preemption(1)}`;
    await c.waitUnschedulable('plain', message);
    await c.waitUnschedulable('wrong-value', message);
    await c.assertStaysUnbound('plain', 200);

    await c.create(R.nodes, node('cordoned', { unschedulable: true }));
    await c.waitUnschedulable(
      'plain',
      `0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. ${preemption(2)}`,
    );
    // Uncordoning is a relevant change.
    await c.client.patch(R.nodes, undefined, 'cordoned', 'merge', { spec: { unschedulable: false } });
    assert.equal(await c.waitBound('plain'), 'cordoned');
  } finally {
    await c.close();
  }
});
