// The event recorder: upstream's Event shape and name, aggregation of identical events into
// one Event whose count grows, and writes that never fail the caller.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { KObject } from '../../src/api/object.js';
import { ClientEventRecorderFactory } from '../../src/client/event-recorder.js';
import { events, memoryCluster, statefulsets, sts, type TestCluster } from './cluster.js';
import { FlakyClient } from './flaky-client.js';

let cluster: TestCluster | undefined;
afterEach(() => { cluster?.close(); cluster = undefined; });

async function eventsFor(c: TestCluster, name: string): Promise<KObject[]> {
  return (await c.client.list(events, 'default')).items.filter((e) => (e.involvedObject as { name: string }).name === name);
}

describe('ClientEventRecorderFactory', () => {
  it('writes an upstream-shaped Event and aggregates identical ones into count 2', async () => {
    cluster = memoryCluster();
    const set = await cluster.client.create(statefulsets, 'default', sts('web'));
    let now = new Date('2025-01-02T03:04:05.678Z');
    const factory = new ClientEventRecorderFactory(cluster.client, { now: () => now });
    const rec = factory.recorderFor('statefulset-controller');
    rec.event(set, 'Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful');
    await factory.flush();
    let list = await eventsFor(cluster, 'web');
    assert.equal(list.length, 1);
    const ev = list[0]!;
    assert.match(ev.metadata.name!, /^web\.[0-9a-f]{16}$/);
    assert.equal(ev.metadata.name, `web.${(BigInt(now.getTime()) * 1_000_000n).toString(16)}`);
    assert.equal(ev.metadata.namespace, 'default');
    assert.deepEqual(ev.involvedObject, {
      kind: 'StatefulSet',
      namespace: 'default',
      name: 'web',
      uid: set.metadata.uid,
      apiVersion: 'apps/v1',
      resourceVersion: set.metadata.resourceVersion,
    });
    assert.deepEqual(ev.source, { component: 'statefulset-controller' });
    assert.equal(ev.reportingComponent, 'statefulset-controller');
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.reason, 'SuccessfulCreate');
    assert.equal(ev.message, 'create Pod web-0 in StatefulSet web successful');
    assert.equal(ev.count, 1);
    assert.equal(ev.firstTimestamp, '2025-01-02T03:04:05Z');
    assert.equal(ev.lastTimestamp, '2025-01-02T03:04:05Z');

    now = new Date('2025-01-02T03:06:00Z');
    rec.event(set, 'Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful');
    await factory.flush();
    list = await eventsFor(cluster, 'web');
    assert.equal(list.length, 1, 'still one Event');
    assert.equal(list[0]!.count, 2);
    assert.equal(list[0]!.firstTimestamp, '2025-01-02T03:04:05Z');
    assert.equal(list[0]!.lastTimestamp, '2025-01-02T03:06:00Z');
    assert.equal(list[0]!.metadata.name, ev.metadata.name);

    // A different message, type or reason is another Event.
    rec.event(set, 'Normal', 'SuccessfulCreate', 'create Pod web-1 in StatefulSet web successful');
    rec.event(set, 'Warning', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful');
    await factory.flush();
    assert.equal((await eventsFor(cluster, 'web')).length, 3);

    // Past the ten-minute window, a new Event starts at count 1.
    now = new Date('2025-01-02T03:17:00Z');
    rec.event(set, 'Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful');
    await factory.flush();
    list = await eventsFor(cluster, 'web');
    assert.equal(list.length, 4);
    assert.deepEqual(list.map((e) => e.count).sort(), [1, 1, 1, 2]);
  });

  it('orders rapid identical events: create first, then patches up to the final count', async () => {
    cluster = memoryCluster();
    const set = await cluster.client.create(statefulsets, 'default', sts('burst'));
    const factory = new ClientEventRecorderFactory(cluster.client);
    const rec = factory.recorderFor('statefulset-controller');
    for (let i = 0; i < 5; i++) rec.event(set, 'Warning', 'FailedCreate', 'boom');
    await factory.flush();
    const list = await eventsFor(cluster, 'burst');
    assert.equal(list.length, 1);
    assert.equal(list[0]!.count, 5);
  });

  it('re-creates an Event that vanished, keeping its count', async () => {
    cluster = memoryCluster();
    const set = await cluster.client.create(statefulsets, 'default', sts('gone'));
    const factory = new ClientEventRecorderFactory(cluster.client);
    const rec = factory.recorderFor('c');
    rec.event(set, 'Normal', 'R', 'm');
    await factory.flush();
    const [first] = await eventsFor(cluster, 'gone');
    await cluster.client.delete(events, 'default', first!.metadata.name!);
    rec.event(set, 'Normal', 'R', 'm');
    await factory.flush();
    const list = await eventsFor(cluster, 'gone');
    assert.equal(list.length, 1);
    assert.equal(list[0]!.count, 2);
  });

  it('never throws or rejects to the caller; failures are logged', async () => {
    cluster = memoryCluster();
    const set = await cluster.client.create(statefulsets, 'default', sts('x'));
    const broken = new FlakyClient(cluster.client);
    broken.create = () => Promise.reject(new Error('server down'));
    const logs: string[] = [];
    const factory = new ClientEventRecorderFactory(broken, { log: (m) => logs.push(m) });
    const rec = factory.recorderFor('c');
    rec.event(set, 'Normal', 'R', 'm');
    rec.event({ metadata: {} }, 'Normal', 'R', 'no name');
    await factory.flush();
    assert.equal(logs.length, 2, logs.join('\n'));
    assert.match(logs.join('\n'), /server down/);
  });
});
