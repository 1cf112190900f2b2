import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../src/api/errors.js';
import type { KObject } from '../../../src/api/object.js';
import { applyBinding, podDeletionGracePeriod, podQOSClass, podStrategy } from '../../../src/registry/kinds/pods.js';
import { create } from './flow.js';
import { nginxPod } from './fixtures.js';

const withResources = (...resources: object[]): KObject => ({
  metadata: { name: 'p' },
  spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) },
});

test('QoS class: BestEffort, Burstable, Guaranteed as upstream computes it', () => {
  assert.equal(podQOSClass(withResources({})), 'BestEffort');
  assert.equal(podQOSClass(withResources({ requests: { cpu: '0' } })), 'BestEffort', 'zero amounts do not count');
  assert.equal(podQOSClass(withResources({ requests: { cpu: '100m' } })), 'Burstable');
  assert.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  assert.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })), 'Guaranteed', 'compared by value');
  assert.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })), 'Burstable');
  assert.equal(podQOSClass(withResources({ limits: { cpu: '1' }, requests: { cpu: '1' } })), 'Burstable', 'memory limit missing');
  assert.equal(
    podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, {})),
    'Burstable',
    'every container must be limited',
  );
  assert.equal(podQOSClass(withResources({ limits: { 'nvidia.com/gpu': '1' } })), 'BestEffort', 'only cpu and memory count');
});

const scheduled = (phase = 'Running', grace?: number): KObject => ({
  metadata: { name: 'p' },
  spec: { nodeName: 'node-1', ...(grace === undefined ? {} : { terminationGracePeriodSeconds: grace }) },
  status: { phase },
});

test('deletion grace: the pod own period, the requested one, or at once when unscheduled or finished', () => {
  assert.equal(podDeletionGracePeriod(scheduled('Running', 30), undefined), 30);
  assert.equal(podDeletionGracePeriod(scheduled('Running', 10), 5), 5);
  assert.equal(podDeletionGracePeriod(scheduled('Running', 30), 0), 0);
  assert.equal(podDeletionGracePeriod(scheduled('Running'), undefined), 30);
  assert.equal(podDeletionGracePeriod(scheduled('Running', -5), undefined), 1, 'negative becomes 1');
  assert.equal(podDeletionGracePeriod({ metadata: {}, spec: { terminationGracePeriodSeconds: 30 }, status: { phase: 'Pending' } }, undefined), 0);
  assert.equal(podDeletionGracePeriod(scheduled('Succeeded', 30), undefined), 0);
  assert.equal(podDeletionGracePeriod(scheduled('Failed', 30), 20), 0);
  assert.equal(podStrategy.deletionGracePeriod, podDeletionGracePeriod);
});

test('field selectors: every supported key, empty when unset', () => {
  const { obj } = create(podStrategy, nginxPod());
  assert.deepEqual(podStrategy.fieldSelectorFields!(obj), {
    'spec.nodeName': '',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'false',
    'status.phase': 'Pending',
    'status.podIP': '',
    'status.nominatedNodeName': '',
  });
  assert.equal(podStrategy.fieldSelectorFields!({ metadata: {} })['spec.nodeName'], '');
});

test('binding sets nodeName and PodScheduled; a second binding is a 409 Conflict', () => {
  const { obj: pod } = create(podStrategy, nginxPod());
  pod.metadata.uid = 'u1';
  const now = new Date('2025-05-01T10:00:05.123Z');
  const bound = applyBinding(pod, { metadata: { name: 'web-0' }, target: { kind: 'Node', name: 'node-1' } }, now);
  assert.equal((bound.spec as any).nodeName, 'node-1');
  assert.equal((pod.spec as any).nodeName, undefined, 'the input is not mutated');
  assert.deepEqual((bound.status as any).conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-05-01T10:00:05Z' }]);
  assert.throws(
    () => applyBinding(bound, { metadata: { name: 'web-0' }, target: { name: 'node-2' } }),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 409 &&
      e.message === 'Operation cannot be fulfilled on pods/binding "web-0": pod web-0 is already assigned to node "node-1"',
  );
  assert.throws(
    () => applyBinding(pod, { metadata: { name: 'web-0' }, target: { kind: 'Pod', name: '' } }),
    (e: unknown) => e instanceof StatusError && e.code === 422 && /target\.kind: Unsupported value: "Pod"/.test(e.message) && /target\.name: Required value/.test(e.message),
  );
  assert.throws(
    () => applyBinding(pod, { metadata: { name: 'web-0', uid: 'other' }, target: { name: 'node-1' } }),
    (e: unknown) => e instanceof StatusError && e.code === 409,
  );
});
