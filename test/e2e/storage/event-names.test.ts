// Found by the storage confinement test: the scheduler's "Scheduled" and the kubelet's
// "FailedMount" about the same pod, recorded by two recorder factories in the same
// millisecond, drew the same Event name; the second create got 409 and the Event was lost.
// Two factories, one frozen clock, one object, different events: both must be stored, and a
// write of the very same Event twice must still yield one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientEventRecorderFactory } from '../../../src/client/event-recorder.js';
import { events, memoryCluster, statefulsets, sts } from '../../client/cluster.js';

test('two recorders naming Events from the same millisecond lose none of them', async () => {
  const cluster = memoryCluster();
  try {
    const obj = await cluster.client.create(statefulsets, 'default', sts('web'));
    const now = new Date('2025-01-02T03:04:05.678Z');
    const a = new ClientEventRecorderFactory(cluster.client, { now: () => now });
    const b = new ClientEventRecorderFactory(cluster.client, { now: () => now, host: 'node-a' });
    a.recorderFor('default-scheduler').event(obj, 'Normal', 'Scheduled', 'one');
    await a.flush();
    b.recorderFor('kubelet').event(obj, 'Warning', 'FailedMount', 'two');
    await b.flush();
    const list = (await cluster.client.list(events, 'default')).items;
    assert.deepEqual(list.map((e) => e.reason).sort(), ['FailedMount', 'Scheduled']);
    assert.equal(new Set(list.map((e) => e.metadata.name)).size, 2);
    // The kubelet's Event keeps aggregating under its new name.
    b.recorderFor('kubelet').event(obj, 'Warning', 'FailedMount', 'two');
    await b.flush();
    const failed = (await cluster.client.list(events, 'default')).items.filter((e) => e.reason === 'FailedMount');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.count, 2);
  } finally {
    cluster.close();
  }
});
