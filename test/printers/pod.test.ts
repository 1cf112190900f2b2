import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/api/object.js';
import { podPrinter, podStatusCells } from '../../src/api/printers/pod.js';

const now = new Date('2025-01-01T00:10:00Z');

function pod(status: Record<string, unknown>, extra: { spec?: Record<string, unknown>; deletionTimestamp?: string } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z', ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}) },
    spec: extra.spec ?? { containers: [{ name: 'nginx', image: 'nginx' }] },
    status,
  };
}

const running = { running: { startedAt: '2025-01-01T00:01:00Z' } };

test('running and ready', () => {
  const p = pod({ phase: 'Running', containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: running }] });
  assert.deepEqual(podStatusCells(p, now), { ready: '1/1', reason: 'Running', restarts: '0' });
});

test('pending without statuses', () => {
  assert.deepEqual(podStatusCells(pod({ phase: 'Pending' }), now), { ready: '0/1', reason: 'Pending', restarts: '0' });
});

test('waiting reasons win: ContainerCreating, CrashLoopBackOff, ErrImagePull', () => {
  for (const reason of ['ContainerCreating', 'CrashLoopBackOff', 'ErrImagePull']) {
    const p = pod({ phase: 'Pending', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { waiting: { reason } } }] });
    assert.equal(podStatusCells(p, now).reason, reason);
  }
});

test('restarts show the time since the last termination', () => {
  const p = pod({
    phase: 'Running',
    containerStatuses: [
      {
        name: 'nginx',
        ready: false,
        restartCount: 2,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:05:00Z' } },
      },
    ],
  });
  assert.deepEqual(podStatusCells(p, now), { ready: '0/1', reason: 'CrashLoopBackOff', restarts: '2 (5m ago)' });
});

test('terminated reasons: Completed, Error, Signal, ExitCode', () => {
  const term = (t: Record<string, unknown>) => pod({ phase: 'Succeeded', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { terminated: t } }] });
  assert.equal(podStatusCells(term({ exitCode: 0, reason: 'Completed' }), now).reason, 'Completed');
  assert.equal(podStatusCells(term({ exitCode: 1, reason: 'Error' }), now).reason, 'Error');
  assert.equal(podStatusCells(term({ exitCode: 137, signal: 9 }), now).reason, 'Signal:9');
  assert.equal(podStatusCells(term({ exitCode: 3 }), now).reason, 'ExitCode:3');
});

test('Terminating when deleted, Unknown when the node is lost, terminal phases kept', () => {
  const live = { phase: 'Running', containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: running }] };
  assert.equal(podStatusCells(pod(live, { deletionTimestamp: '2025-01-01T00:09:00Z' }), now).reason, 'Terminating');
  assert.equal(podStatusCells(pod({ ...live, reason: 'NodeLost' }, { deletionTimestamp: '2025-01-01T00:09:00Z' }), now).reason, 'Unknown');
  const done = { phase: 'Succeeded', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
  assert.equal(podStatusCells(pod(done, { deletionTimestamp: '2025-01-01T00:09:00Z' }), now).reason, 'Completed');
});

test('init containers: Init:0/1, Init:<reason>, Init:Error', () => {
  const spec = { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'nginx', image: 'nginx' }] };
  const waitingMain = [{ name: 'nginx', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }];
  const withInit = (state: Record<string, unknown>) =>
    pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state }], containerStatuses: waitingMain }, { spec });
  assert.equal(podStatusCells(withInit({ running: {} }), now).reason, 'Init:0/1');
  assert.equal(podStatusCells(withInit({ waiting: { reason: 'PodInitializing' } }), now).reason, 'Init:0/1');
  assert.equal(podStatusCells(withInit({ waiting: { reason: 'ImagePullBackOff' } }), now).reason, 'Init:ImagePullBackOff');
  assert.equal(podStatusCells(withInit({ terminated: { exitCode: 1, reason: 'Error' } }), now).reason, 'Init:Error');
  assert.equal(podStatusCells(withInit({ terminated: { exitCode: 2 } }), now).reason, 'Init:ExitCode:2');
  // Finished init: the main container's waiting reason shows.
  assert.equal(podStatusCells(withInit({ terminated: { exitCode: 0, reason: 'Completed' } }), now).reason, 'PodInitializing');
});

test('SchedulingGated and NotReady', () => {
  const gated = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(podStatusCells(gated, now).reason, 'SchedulingGated');
  const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] };
  const partly = pod(
    {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', ready: true, restartCount: 0, state: running },
      ],
    },
    { spec },
  );
  assert.deepEqual(podStatusCells(partly, now), { ready: '1/2', reason: 'NotReady', restarts: '0' });
});

test('full row includes the wide cells', () => {
  const p = pod({ phase: 'Running', podIP: '10.244.0.10', containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: running }] }, {
    spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx' }], readinessGates: [{ conditionType: 'x/y' }] },
  });
  assert.deepEqual(podPrinter.print(p, now).cells, ['web-0', '1/1', 'Running', '0', '10m', '10.244.0.10', 'node-1', '<none>', '0/1']);
  assert.deepEqual(podPrinter.columns.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
});
