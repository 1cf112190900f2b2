// Revision data, hashes and names as Kubernetes 1.33 writes them (catalogue H10, H11), and
// the Go serialisation rules the bytes depend on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyRevision,
  controllerRevisionName,
  goMarshal,
  hashControllerRevision,
  newRevision,
  normalizePodTemplate,
  revisionDataBytes,
  safeEncodeString,
  statefulSetPatch,
} from '../../../src/controllers/history/index.js';
import { deepEqual } from '../../../src/api/object.js';
import { goFactsCoverage } from '../../../src/controllers/history/go-shape.js';
import { DATA_1_33, compatibilityRevision133, compatibilitySet133, webSet } from './fixtures.js';

test('H10: the 1.33 compatibility set encodes to the exact bytes 1.33 stored, hashing to c77f6d978', () => {
  const set = compatibilitySet133();
  assert.equal(statefulSetPatch(set), DATA_1_33);
  assert.equal(hashControllerRevision(DATA_1_33, 0), 'c77f6d978');
  const rev = newRevision(set, 1, 0);
  assert.equal(rev.metadata.name, 'test-c77f6d978');
  assert.deepEqual(rev.metadata.labels, { app: 'foo', 'controller.kubernetes.io/hash': 'c77f6d978' });
  assert.equal(revisionDataBytes(rev), DATA_1_33);
  assert.equal(revisionDataBytes(compatibilityRevision133()), DATA_1_33);
});

test('newRevision: controllerRef to the set, set annotations copied, revision number as given', () => {
  const set = webSet('nginx:1', { annotations: { team: 'a' } });
  const rev = newRevision(set, 7, 0);
  assert.equal(rev.kind, 'ControllerRevision');
  assert.equal(rev.revision, 7);
  assert.equal(rev.metadata.namespace, 'ns');
  assert.deepEqual(rev.metadata.annotations, { team: 'a' });
  assert.deepEqual(rev.metadata.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'web-uid', controller: true, blockOwnerDeletion: true },
  ]);
  assert.match(rev.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(rev.metadata.labels!.app, 'web');
});

test('the collision count changes the hash; undefined leaves it out', () => {
  const a = hashControllerRevision(DATA_1_33, 0);
  const b = hashControllerRevision(DATA_1_33, 1);
  const none = hashControllerRevision(DATA_1_33);
  assert.notEqual(a, b);
  assert.notEqual(a, none);
});

test('hash digits map to the safe alphabet 0→4 … 9→f', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  fc.assert(
    fc.property(fc.string(), fc.nat(5), (s, n) => /^[456789bcdf]{1,10}$/.test(hashControllerRevision(s, n))),
  );
});

test('names truncate the prefix to 223 bytes', () => {
  const long = 'a'.repeat(300);
  assert.equal(controllerRevisionName(long, 'xyz'), `${'a'.repeat(223)}-xyz`);
  assert.equal(controllerRevisionName('web', 'c77f6d978'), 'web-c77f6d978');
});

test('only spec.template is stored: replicas, strategy, labels and annotations of the set do not change the data', () => {
  const base = webSet();
  const changed = structuredClone(base);
  (changed.spec as any).replicas = 9;
  (changed.spec as any).updateStrategy = { type: 'OnDelete' };
  (changed.spec as any).minReadySeconds = 5;
  (changed.spec as any).revisionHistoryLimit = 1;
  (changed.spec as any).persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
  changed.metadata.labels = { x: 'y' };
  changed.metadata.annotations = { a: 'b' };
  assert.equal(statefulSetPatch(changed), statefulSetPatch(base));
  const restart = structuredClone(base);
  (restart.spec as any).template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' };
  assert.notEqual(statefulSetPatch(restart), statefulSetPatch(base));
});

test('Go shape: omitempty zero values dropped, pointer zeros kept, structs always written', () => {
  const t = normalizePodTemplate({
    metadata: { labels: {}, annotations: { a: '' } },
    spec: {
      hostNetwork: false,
      automountServiceAccountToken: false,
      nodeName: '',
      tolerations: [],
      securityContext: { runAsUser: 0, runAsNonRoot: false },
      terminationGracePeriodSeconds: 0,
      bogusField: 1,
      containers: [
        {
          name: 'c',
          stdin: false,
          ports: [{ containerPort: 80, hostPort: 0 }],
          env: [{ name: 'X', value: '' }, { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
          readinessProbe: { httpGet: { port: 8080, path: '/' }, initialDelaySeconds: 0, periodSeconds: 10 },
          volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false }],
        },
      ],
      volumes: [{ name: 'h', hostPath: { path: '/x', type: '' } }, { name: 'e', emptyDir: {} }],
    },
  });
  assert.deepEqual(t, {
    metadata: { annotations: { a: '' }, creationTimestamp: null },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: false, runAsUser: 0 },
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'c',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'X' }, { name: 'D', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } }],
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 },
          resources: {},
          volumeMounts: [{ mountPath: '/v', name: 'v' }],
        },
      ],
      volumes: [{ hostPath: { path: '/x', type: '' }, name: 'h' }, { emptyDir: {}, name: 'e' }],
    },
  });
});

test('Go shape: a template without metadata or resources gets them', () => {
  const t = normalizePodTemplate({ spec: { containers: [{ name: 'a', image: 'b' }] } });
  assert.equal(goMarshal(t), '{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"image":"b","name":"a","resources":{}}]}}');
});

test('Go shape: every type named in the table exists in the schema', () => {
  assert.deepEqual(goFactsCoverage().missing, []);
});

test('goMarshal escapes as Go does and sorts keys', () => {
  assert.equal(goMarshal({ b: 1, a: '<x & y>', c: [true, null, 1.5] }), '{"a":"\\u003cx \\u0026 y\\u003e","b":1,"c":[true,null,1.5]}');
  assert.equal(goMarshal('line\u2028sep\n\t"q"\\'), '"line\\u2028sep\\n\\t\\"q\\"\\\\"');
  assert.equal(goMarshal(1e21), '1e+21');
  assert.equal(goMarshal(1e-7), '1e-07');
  // Whatever the value, the bytes decode back to it.
  fc.assert(fc.property(fc.jsonValue(), (v) => deepEqual(JSON.parse(goMarshal(v)), JSON.parse(JSON.stringify(v)))));
});

test('H11: applyRevision(newRevision(set)) restores the template; every other field is the live set', () => {
  const old = webSet('nginx:1', { annotations: { note: 'x' } });
  const rev = newRevision(old, 1, 0);
  assert.deepEqual(rev.metadata.annotations, { note: 'x' });
  const live = structuredClone(webSet('nginx:2'));
  (live.spec as any).replicas = 5;
  (live.spec as any).template.spec.containers.push({ name: 'sidecar', image: 'busybox', resources: {} });
  live.status = { replicas: 5 };
  const restored = applyRevision(live, rev);
  assert.deepEqual((restored.spec as any).template, normalizePodTemplate((old.spec as any).template));
  assert.equal((restored.spec as any).replicas, 5);
  assert.deepEqual(restored.status, { replicas: 5 });
  assert.equal(statefulSetPatch(restored), statefulSetPatch(old));
  // The live set was not modified.
  assert.equal((live.spec as any).template.spec.containers.length, 2);
});

test('frozen (informer) sets give the same bytes as fresh ones, call after call', () => {
  const fresh = compatibilitySet133();
  const frozen = compatibilitySet133();
  const deepFreeze = (v: unknown): void => {
    if (v && typeof v === 'object') {
      Object.freeze(v);
      for (const x of Object.values(v)) deepFreeze(x);
    }
  };
  deepFreeze(frozen);
  assert.equal(statefulSetPatch(frozen), DATA_1_33);
  assert.equal(statefulSetPatch(frozen), DATA_1_33);
  assert.equal(statefulSetPatch({ ...frozen, metadata: { ...frozen.metadata } }), statefulSetPatch(fresh));
});
