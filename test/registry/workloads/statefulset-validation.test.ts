import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, type KObject } from '../../../src/api/object.js';
import { invalidError } from '../../../src/api/field-errors.js';
import { statefulSetStrategy } from '../../../src/registry/kinds/statefulsets.js';
import { create, ctx, update, updateStatus } from './flow.js';
import { webStatefulSet } from './fixtures.js';

const FORBIDDEN =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function withSpec(mutate: (spec: any) => void): KObject {
  const sts = webStatefulSet();
  mutate(sts.spec);
  return sts;
}

test('the tutorial StatefulSet is valid', () => {
  assert.deepEqual(create(statefulSetStrategy, webStatefulSet()).errors, []);
});

test('a missing selector is required and then cannot match the template labels', () => {
  const { errors } = create(statefulSetStrategy, withSpec((s) => delete s.selector));
  assert.deepEqual(errors, [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
  ]);
});

test('a selector that does not match the template labels, as kubectl prints it', () => {
  const sts = withSpec((s) => (s.selector = { matchLabels: { app: 'web' } }));
  const { obj } = create(statefulSetStrategy, sts);
  const err = invalidError('apps', 'StatefulSet', 'web', statefulSetStrategy.validate!(obj, ctx));
  assert.equal(err.code, 422);
  assert.equal(
    err.message,
    'StatefulSet.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
  );
});

test('an empty selector is rejected', () => {
  const { errors } = create(statefulSetStrategy, withSpec((s) => (s.selector = {})));
  assert.deepEqual(errors, [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
  ]);
});

test('negative replicas, minReadySeconds, revisionHistoryLimit and partition', () => {
  const { errors } = create(
    statefulSetStrategy,
    withSpec((s) => {
      s.replicas = -1;
      s.minReadySeconds = -2;
      s.revisionHistoryLimit = -3;
      s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -4 } };
    }),
  );
  assert.deepEqual(errors, [
    'spec.updateStrategy.rollingUpdate.partition: Invalid value: -4: must be greater than or equal to 0',
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0',
    'spec.revisionHistoryLimit: Invalid value: -3: must be greater than or equal to 0',
  ]);
});

test('a bad podManagementPolicy', () => {
  const { errors } = create(statefulSetStrategy, withSpec((s) => (s.podManagementPolicy = 'Sometimes')));
  assert.deepEqual(errors, ['spec.podManagementPolicy: Invalid value: "Sometimes": must be \'OrderedReady\' or \'Parallel\'']);
});

test('OnDelete with a rollingUpdate block', () => {
  const { errors } = create(statefulSetStrategy, withSpec((s) => (s.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } })));
  assert.deepEqual(errors, [
    "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
  ]);
});

test('template restartPolicy must be Always and activeDeadlineSeconds is forbidden', () => {
  const { errors } = create(
    statefulSetStrategy,
    withSpec((s) => {
      s.template.spec.restartPolicy = 'OnFailure';
      s.template.spec.activeDeadlineSeconds = 5;
    }),
  );
  assert.deepEqual(errors, [
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
  ]);
});

test('the name must be a DNS label, the retention policy Retain or Delete', () => {
  const sts = withSpec((s) => (s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep', whenScaled: 'Delete' }));
  sts.metadata.name = 'Web';
  const { errors } = create(statefulSetStrategy, sts);
  assert.equal(errors.length, 2);
  assert.match(errors[0]!, /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of/);
  assert.equal(errors[1], 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"');
});

test('updating an immutable field (serviceName) is forbidden with the 1.33 message', () => {
  const { obj: stored } = create(statefulSetStrategy, webStatefulSet());
  const { errors } = update(statefulSetStrategy, withSpec((s) => (s.serviceName = 'other')), stored);
  assert.deepEqual(errors, [FORBIDDEN]);
  const err = invalidError('apps', 'StatefulSet', 'web', [{ type: 'FieldValueForbidden', field: 'spec', detail: FORBIDDEN.slice('spec: Forbidden: '.length) }]);
  assert.equal(err.message, `StatefulSet.apps "web" is invalid: ${FORBIDDEN}`);
});

test('claim templates and podManagementPolicy are immutable too', () => {
  const { obj: stored } = create(statefulSetStrategy, webStatefulSet());
  const grown = withSpec((s) => (s.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi'));
  assert.deepEqual(update(statefulSetStrategy, grown, stored).errors, [FORBIDDEN]);
  const parallel = withSpec((s) => (s.podManagementPolicy = 'Parallel'));
  assert.deepEqual(update(statefulSetStrategy, parallel, stored).errors, [FORBIDDEN]);
});

test('replicas, template, updateStrategy, minReadySeconds, revisionHistoryLimit may change; spec changes bump generation', () => {
  const { obj: stored } = create(statefulSetStrategy, webStatefulSet());
  const changed = withSpec((s) => {
    s.replicas = 5;
    s.template.spec.containers[0].image = 'registry.k8s.io/nginx-slim:0.27';
    s.updateStrategy = { type: 'OnDelete' };
    s.minReadySeconds = 10;
    s.revisionHistoryLimit = 3;
    s.ordinals = { start: 2 };
    s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
  });
  const { obj, errors } = update(statefulSetStrategy, changed, stored);
  assert.deepEqual(errors, []);
  assert.equal(obj.metadata.generation, 2);
  assert.deepEqual(obj.status, { replicas: 0, availableReplicas: 0 }, 'a main-resource write keeps the old status');
});

test('status validation: counts bounded by replicas, collisionCount never decremented', () => {
  const { obj: stored } = create(statefulSetStrategy, webStatefulSet());
  const withStatus = clone(stored);
  withStatus.status = { replicas: 2, readyReplicas: 3, availableReplicas: 1, currentReplicas: 2, updatedReplicas: 2, collisionCount: 1 };
  assert.deepEqual(updateStatus(statefulSetStrategy, withStatus, stored).errors, [
    'status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas',
  ]);
  const ok = clone(stored);
  ok.status = { replicas: 2, readyReplicas: 2, availableReplicas: 2, collisionCount: 1 };
  const { obj: afterOk, errors } = updateStatus(statefulSetStrategy, ok, stored);
  assert.deepEqual(errors, []);
  const decremented = clone(afterOk);
  decremented.status = { replicas: 2, availableReplicas: 0, collisionCount: 0 };
  assert.deepEqual(updateStatus(statefulSetStrategy, decremented, afterOk).errors, ['status.collisionCount: Invalid value: 0: cannot be decremented']);
});

test('an empty serviceName equals an absent one (Go zero values) when checking immutability', () => {
  const { obj: stored } = create(statefulSetStrategy, withSpec((s) => delete s.serviceName));
  assert.deepEqual(update(statefulSetStrategy, withSpec((s) => (s.serviceName = '')), stored).errors, []);
});
