// The namespace controller's status conditions: upstream's exact reasons and messages, and
// when a condition's transition time moves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONDITION_TYPES, failingConditions, mergeConditions } from '../../../src/controllers/namespace/index.js';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';

test('remaining content and finalizers are reported sorted, with upstream wording', () => {
  const failures = failingConditions(
    {
      remainingByResource: new Map([['pods.', 2], ['configmaps.', 1], ['statefulsets.apps', 1]]),
      remainingByFinalizer: new Map([['kubernetes.io/pvc-protection', 1], ['example.com/hold', 3]]),
    },
    [],
    T0,
  );
  assert.deepEqual(failures, [
    {
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: T0,
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances, statefulsets.apps has 1 resource instances',
    },
    {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      lastTransitionTime: T0,
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances, kubernetes.io/pvc-protection in 1 resource instances',
    },
  ]);
});

test('deletion errors become one ContentDeletionFailed condition', () => {
  const [c] = failingConditions({ remainingByResource: new Map(), remainingByFinalizer: new Map() }, ['b failed', 'a failed'], T0);
  assert.equal(c.type, 'NamespaceDeletionContentFailure');
  assert.equal(c.reason, 'ContentDeletionFailed');
  assert.equal(c.message, 'Failed to delete all resource types, 2 remaining: a failed, b failed');
});

test('every managed type is present; OK variants when nothing fails', () => {
  const { conditions, changed } = mergeConditions(undefined, [], T0);
  assert.equal(changed, true);
  assert.deepEqual(conditions.map((c) => c.type), [...CONDITION_TYPES]);
  assert.ok(conditions.every((c) => c.status === 'False'));
  assert.deepEqual(
    conditions.map((c) => [c.reason, c.message]),
    [
      ['ResourcesDiscovered', 'All resources successfully discovered'],
      ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['ContentRemoved', 'All content successfully removed'],
      ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
    ],
  );
  assert.equal(mergeConditions(conditions, [], T1).changed, false);
});

test('the transition time moves only when the status flips; other condition types are kept', () => {
  const foreign = { type: 'Other', status: 'True' as const, lastTransitionTime: T0, reason: 'X', message: 'y' };
  const first = mergeConditions([foreign], failingConditions({ remainingByResource: new Map([['pods.', 2]]), remainingByFinalizer: new Map() }, [], T0), T0).conditions;
  const second = mergeConditions(first, failingConditions({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map() }, [], T1), T1);
  const remaining = second.conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
  assert.equal(second.changed, true);
  assert.equal(remaining.message, 'Some resources are remaining: pods. has 1 resource instances');
  assert.equal(remaining.lastTransitionTime, T0);
  const third = mergeConditions(second.conditions, [], T1).conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
  assert.equal(third.status, 'False');
  assert.equal(third.lastTransitionTime, T1);
  assert.deepEqual(second.conditions[0], foreign);
});
