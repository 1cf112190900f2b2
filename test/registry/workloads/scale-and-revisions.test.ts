import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../src/api/errors.js';
import type { KObject } from '../../../src/api/object.js';
import { applyScaleToStatefulSet, scaleFromStatefulSet } from '../../../src/registry/kinds/scale.js';
import { statefulSetStrategy } from '../../../src/registry/kinds/statefulsets.js';
import { controllerRevisionStrategy } from '../../../src/registry/kinds/controllerrevisions.js';
import { create, update } from './flow.js';
import { webStatefulSet } from './fixtures.js';

function storedWeb(): KObject {
  const sts = webStatefulSet();
  (sts.spec as any).selector = { matchLabels: { app: 'nginx', tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] };
  (sts.spec as any).template.metadata.labels = { app: 'nginx', tier: 'web', env: 'prod' };
  const { obj } = create(statefulSetStrategy, sts);
  obj.metadata = { ...obj.metadata, uid: 'u1', resourceVersion: '42', creationTimestamp: '2025-05-01T10:00:00Z' };
  obj.status = { replicas: 1, availableReplicas: 1 };
  return obj;
}

test('a StatefulSet as an autoscaling/v1 Scale, with the selector as a string', () => {
  assert.deepEqual(scaleFromStatefulSet(storedWeb()), {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '42', creationTimestamp: '2025-05-01T10:00:00Z' },
    spec: { replicas: 2 },
    status: { replicas: 1, selector: 'app=nginx,env in (dev,prod),tier=web' },
  });
});

test('zero replicas: ScaleSpec.replicas is omitted, ScaleStatus.replicas is not', () => {
  const sts = storedWeb();
  (sts.spec as any).replicas = 0;
  sts.status = { replicas: 0, availableReplicas: 0 };
  const scale = scaleFromStatefulSet(sts);
  assert.deepEqual(scale.spec, {});
  assert.equal(scale.status.replicas, 0);
});

test('a Scale write changes only spec.replicas and carries its resourceVersion', () => {
  const sts = storedWeb();
  const out = applyScaleToStatefulSet(sts, { metadata: { name: 'web', resourceVersion: '41' }, spec: { replicas: 5 } });
  assert.equal((out.spec as any).replicas, 5);
  assert.equal(out.metadata.resourceVersion, '41');
  assert.equal((sts.spec as any).replicas, 2, 'the input is not mutated');
  const { errors, obj } = update(statefulSetStrategy, out, sts);
  assert.deepEqual(errors, []);
  assert.equal(obj.metadata.generation, 2);
  assert.throws(
    () => applyScaleToStatefulSet(sts, { metadata: { name: 'web' }, spec: { replicas: -1 } }),
    (e: unknown) =>
      e instanceof StatusError && e.code === 422 && e.message === 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  );
});

const revision = (data: unknown, rev = 1): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name: 'web-7b6b8c9d5', namespace: 'default' },
  data,
  revision: rev,
});

test('ControllerRevision: data required, revision non-negative, data immutable, revision mutable', () => {
  assert.deepEqual(create(controllerRevisionStrategy, revision({ spec: {} })).errors, []);
  assert.deepEqual(create(controllerRevisionStrategy, revision(undefined, -1)).errors, [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -1: must be greater than or equal to 0',
  ]);
  const { obj: stored } = create(controllerRevisionStrategy, revision({ spec: { a: 1 } }));
  assert.deepEqual(update(controllerRevisionStrategy, revision({ spec: { a: 1 } }, 3), stored).errors, []);
  assert.deepEqual(update(controllerRevisionStrategy, revision({ spec: { a: 2 } }), stored).errors, ['data: Invalid value: {"spec":{"a":2}}: field is immutable']);
});
