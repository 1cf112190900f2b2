import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/api/object.js';
import { coreEventToEventsV1, eventsV1ToCore } from '../../src/api/event-conversion.js';

const core: KObject = {
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-0.1', namespace: 'default' },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'default' },
  reason: 'Started', message: 'Started container nginx', type: 'Normal', source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:01:00Z', count: 2, eventTime: null,
  reportingComponent: 'kubelet', reportingInstance: 'node-1',
};

test('core to events.k8s.io renames fields', () => {
  const v1 = coreEventToEventsV1(core);
  assert.equal(v1.apiVersion, 'events.k8s.io/v1');
  assert.deepEqual(v1.regarding, core.involvedObject);
  assert.equal(v1.note, 'Started container nginx');
  assert.deepEqual(v1.deprecatedSource, core.source);
  assert.equal(v1.deprecatedFirstTimestamp, core.firstTimestamp);
  assert.equal(v1.deprecatedLastTimestamp, core.lastTimestamp);
  assert.equal(v1.deprecatedCount, 2);
  assert.equal(v1.reportingController, 'kubelet');
  assert.equal(v1.eventTime, null);
  for (const k of ['involvedObject', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'reportingComponent']) assert.equal(k in v1, false, k);
});

test('round trip core -> events.k8s.io -> core is lossless', () => {
  assert.deepEqual(eventsV1ToCore(coreEventToEventsV1(core)), core);
});

test('events.k8s.io event without deprecated fields gets core zero values', () => {
  const c = eventsV1ToCore({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, eventTime: '2025-01-01T00:00:00.000000Z', regarding: { kind: 'Pod', name: 'p' }, note: 'hi', reportingController: 'x' });
  assert.deepEqual(c.source, {});
  assert.equal(c.firstTimestamp, null);
  assert.equal(c.lastTimestamp, null);
  assert.equal(c.reportingComponent, 'x');
  assert.equal(c.reportingInstance, '');
  assert.equal(c.message, 'hi');
  assert.equal('count' in c, false);
});
