// The pure rules: node affinity operators, tolerations, readiness taints, the FitError
// wording, backoff, and whole scheduling attempts over a hand-built cluster view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { affinityNodeNames, nodeSelectorMatches, podNodeAffinityMatches } from '../../../src/controllers/scheduler/node-affinity.js';
import { effectiveTaints, firstUntoleratedTaint, toleratesTaint } from '../../../src/controllers/scheduler/taints.js';
import { fitErrorMessage, preemptionNotHelpful, truncateMessage } from '../../../src/controllers/scheduler/fit-error.js';
import { DEFAULT_TIMINGS, backoffMs } from '../../../src/controllers/scheduler/backoff.js';
import { schedulePod } from '../../../src/controllers/scheduler/schedule-pod.js';
import type { ClusterView } from '../../../src/controllers/scheduler/cluster-view.js';
import { claim, node, pod, podWithClaim, preemption, storageClass, volume } from './harness.js';

const terms = (...t: unknown[]) => ({ nodeSelectorTerms: t });
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

test('node selector requirements: In, NotIn, Exists, DoesNotExist, Gt, Lt and matchFields', () => {
  const n = node('worker-1', { labels: { zone: 'a', cores: '8' } });
  const cases: [unknown, boolean][] = [
    [terms(expr('zone', 'In', ['a', 'b'])), true],
    [terms(expr('zone', 'In', ['b'])), false],
    [terms(expr('zone', 'NotIn', ['b'])), true],
    [terms(expr('missing', 'NotIn', ['b'])), true],
    [terms(expr('zone', 'Exists')), true],
    [terms(expr('zone', 'DoesNotExist')), false],
    [terms(expr('missing', 'DoesNotExist')), true],
    [terms(expr('cores', 'Gt', ['4'])), true],
    [terms(expr('cores', 'Lt', ['4'])), false],
    [terms(expr('zone', 'Gt', ['4'])), false], // not an integer label
    [terms(expr('cores', 'Gt', ['4', '5'])), false], // malformed: the term is void
    [terms(expr('zone', 'In', [])), false],
    [terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }), true],
    [terms({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['worker-1'] }] }), false],
    [terms({}), false], // an empty term matches nothing
    [terms({}, expr('zone', 'In', ['a'])), true], // terms are ORed
    [terms({ ...expr('zone', 'In', ['a']), matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] }), false], // ANDed within
  ];
  for (const [sel, want] of cases) assert.equal(nodeSelectorMatches(sel, n), want, JSON.stringify(sel));
});

test('a pod needs every nodeSelector pair and its required affinity', () => {
  const n = node('n', { labels: { a: '1', b: '2' } });
  assert.equal(podNodeAffinityMatches(pod('p', { nodeSelector: { a: '1', b: '2' } }), n), true);
  assert.equal(podNodeAffinityMatches(pod('p', { nodeSelector: { a: '1', c: '3' } }), n), false);
  const aff = (sel: unknown) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: sel } } });
  assert.equal(podNodeAffinityMatches(pod('p', { nodeSelector: { a: '1' }, ...aff(terms(expr('b', 'In', ['9']))) }), n), false);
  assert.deepEqual(affinityNodeNames(pod('p', aff(terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] })))), {
    kind: 'some',
    names: new Set(['x']),
  });
  assert.deepEqual(affinityNodeNames(pod('p', aff(terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] }, expr('a', 'Exists'))))), { kind: 'all' });
  const conflicting = { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }, { key: 'metadata.name', operator: 'In', values: ['y'] }] };
  assert.deepEqual(affinityNodeNames(pod('p', aff(terms(conflicting)))), { kind: 'conflict' });
});

test('tolerations: empty key with Exists tolerates all, empty effect matches every effect, Equal compares values', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true);
  assert.equal(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint), false);
  assert.equal(toleratesTaint({ key: 'k', value: 'v' }, taint), true);
  assert.equal(toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, taint), false);
  assert.equal(toleratesTaint({ key: 'k', operator: 'Gt', value: 'v' }, taint), false);
  // PreferNoSchedule never blocks.
  assert.equal(firstUntoleratedTaint([{ key: 'soft', value: '', effect: 'PreferNoSchedule' }], []), undefined);
});

test('a node that is not Ready carries the readiness taint upstream would have added', () => {
  assert.deepEqual(effectiveTaints(node('n')), []);
  assert.deepEqual(effectiveTaints(node('n', { ready: 'False' })), [{ key: 'node.kubernetes.io/not-ready', value: '', effect: 'NoSchedule' }]);
  assert.deepEqual(effectiveTaints(node('n', { ready: 'none' })), [{ key: 'node.kubernetes.io/not-ready', value: '', effect: 'NoSchedule' }]);
  assert.deepEqual(effectiveTaints(node('n', { ready: 'Unknown' })), [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' }]);
  const tolerant = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }];
  assert.equal(firstUntoleratedTaint(effectiveTaints(node('n', { ready: 'False' })), tolerant), undefined);
});

test('FitError wording: sorted histogram, PreFilter message instead of it, preemption part', () => {
  assert.equal(
    fitErrorMessage({ numAllNodes: 3, nodeReasons: [['b reason'], ['a reason'], ['b reason']], postFilterMsg: preemptionNotHelpful(3) }),
    '0/3 nodes are available: 1 a reason, 2 b reason. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  assert.equal(
    fitErrorMessage({ numAllNodes: 2, preFilterMsg: 'pod has unbound immediate PersistentVolumeClaims', nodeReasons: [['ignored']], postFilterMsg: preemptionNotHelpful(2) }),
    `0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${preemption(2)}`,
  );
  // Go sorts bytewise: "10 x" before "2 y".
  assert.equal(
    fitErrorMessage({ numAllNodes: 12, nodeReasons: [...Array(10).fill(['x']), ['y'], ['y']] }),
    '0/12 nodes are available: 10 x, 2 y.',
  );
  assert.equal(truncateMessage('a'.repeat(1024)), 'a'.repeat(1024));
  assert.equal(truncateMessage('a'.repeat(2000)).length, 1024);
  assert.ok(truncateMessage('a'.repeat(2000)).endsWith(' ...'));
});

test('backoff: 1 s doubling to 10 s by default', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map((n) => backoffMs(n, DEFAULT_TIMINGS)), [1000, 2000, 4000, 8000, 10000, 10000, 10000]);
});

function view(objs: { nodes?: KObject[]; claims?: KObject[]; pvs?: KObject[]; classes?: KObject[]; counts?: Record<string, number> }): ClusterView {
  const byName = (list: KObject[] = []) => new Map(list.map((o) => [o.metadata.name ?? '', o]));
  const claims = byName(objs.claims);
  const pvs = byName(objs.pvs);
  const classes = byName(objs.classes);
  return {
    nodes: () => objs.nodes ?? [],
    claim: (_ns, name) => claims.get(name),
    volume: (name) => pvs.get(name),
    volumes: () => objs.pvs ?? [],
    storageClass: (name) => classes.get(name),
    podCount: (n) => objs.counts?.[n] ?? 0,
  };
}

const withNs = (o: KObject): KObject => ({ ...o, metadata: { ...o.metadata, namespace: 'default', uid: `uid-${o.metadata.name}` } });

test('scheduling attempts: mixed reasons, spreading, and a claim pinned to another node', () => {
  const nodes = [
    node('cordoned', { unschedulable: true }),
    node('down', { ready: 'Unknown' }),
    node('gpu', { labels: { accel: 'gpu' } }),
    node('plain-1'),
    node('plain-2'),
  ];
  const picky = pod('p', { nodeSelector: { accel: 'tpu' } });
  assert.deepEqual(schedulePod({ ...picky, metadata: { name: 'p', namespace: 'default' } }, view({ nodes })), {
    kind: 'unschedulable',
    message:
      "0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity/selector. " +
      preemption(5),
  });
  // Among feasible nodes, the least busy wins.
  const fit = schedulePod(withNs(pod('q')), view({ nodes, counts: { gpu: 3, 'plain-1': 2, 'plain-2': 1 } }));
  assert.equal(fit.kind === 'fit' && fit.node, 'plain-2');

  // A WaitForFirstConsumer claim already given to plain-1 keeps the pod there.
  const c = withNs(claim('data', 'wffc'));
  c.metadata.annotations = { 'volume.kubernetes.io/selected-node': 'plain-1' };
  const v = view({ nodes, claims: [c], classes: [storageClass('wffc', 'WaitForFirstConsumer')] });
  const pinned = schedulePod(withNs(podWithClaim('r', 'data')), v);
  assert.equal(pinned.kind, 'fit');
  assert.equal(pinned.kind === 'fit' && pinned.node, 'plain-1');
  assert.deepEqual(pinned.kind === 'fit' && pinned.plan.provisions.map((x) => x.metadata.name), ['data']);

  // A claim bound to a PV that no longer exists.
  const gone = withNs(claim('gone'));
  (gone.spec as Record<string, unknown>).volumeName = 'pv-gone';
  gone.status = { phase: 'Bound' };
  assert.deepEqual(schedulePod(withNs(podWithClaim('s', 'gone')), view({ nodes: [node('n')], claims: [gone], pvs: [volume('other')] })), {
    kind: 'unschedulable',
    message: `0/1 nodes are available: 1 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s). ${preemption(1)}`,
  });
});
