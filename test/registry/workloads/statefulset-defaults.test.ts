import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statefulSetStrategy } from '../../../src/registry/kinds/statefulsets.js';
import { create, update } from './flow.js';
import { webStatefulSet } from './fixtures.js';

test('a minimal StatefulSet gets exactly the defaults a 1.33 apiserver stores', () => {
  const { obj, errors } = create(statefulSetStrategy, webStatefulSet());
  assert.deepEqual(errors, []);
  assert.deepEqual(obj, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'nginx' } },
      serviceName: 'nginx',
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
        spec: {
          containers: [
            {
              image: 'registry.k8s.io/nginx-slim:0.24',
              imagePullPolicy: 'IfNotPresent',
              name: 'nginx',
              ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              volumeMounts: [{ mountPath: '/usr/share/nginx/html', name: 'www' }],
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        },
      ],
    },
    status: { replicas: 0, availableReplicas: 0 },
  });
});

test('an explicit RollingUpdate type gets no rollingUpdate block; OnDelete gets none either', () => {
  const rolling = webStatefulSet();
  (rolling.spec as any).updateStrategy = { type: 'RollingUpdate' };
  assert.deepEqual((create(statefulSetStrategy, rolling).obj.spec as any).updateStrategy, { type: 'RollingUpdate' });
  const onDelete = webStatefulSet();
  (onDelete.spec as any).updateStrategy = { type: 'OnDelete' };
  assert.deepEqual((create(statefulSetStrategy, onDelete).obj.spec as any).updateStrategy, { type: 'OnDelete' });
});

test('image pull policy: Always for :latest or no tag, IfNotPresent for a tag or digest', () => {
  const policies = ['nginx', 'nginx:latest', 'nginx:1.25', 'localhost:5000/nginx', 'nginx@sha256:abcd'].map((image) => {
    const sts = webStatefulSet();
    (sts.spec as any).template.spec.containers[0].image = image;
    return (create(statefulSetStrategy, sts).obj.spec as any).template.spec.containers[0].imagePullPolicy;
  });
  assert.deepEqual(policies, ['Always', 'Always', 'IfNotPresent', 'Always', 'IfNotPresent']);
});

test('probe, env and volume defaults in the template', () => {
  const sts = webStatefulSet();
  const spec = (sts.spec as any).template.spec;
  spec.containers[0].readinessProbe = { httpGet: { port: 80 } };
  spec.containers[0].env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
  spec.containers[0].resources = { requests: { memory: '1024Mi' } };
  spec.volumes = [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'tmp' }];
  const out = (create(statefulSetStrategy, sts).obj.spec as any).template.spec;
  assert.deepEqual(out.containers[0].readinessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(out.containers[0].env[0].valueFrom.fieldRef, { apiVersion: 'v1', fieldPath: 'metadata.name' });
  assert.deepEqual(out.containers[0].resources, { requests: { memory: '1Gi' } });
  assert.deepEqual(out.volumes, [{ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }, { name: 'tmp', emptyDir: {} }]);
  assert.equal(out.enableServiceLinks, undefined, 'templates do not get the pod-only enableServiceLinks default');
});

test('re-applying the manifest (claim templates re-sent without server fields) is a valid no-op update', () => {
  const { obj: stored } = create(statefulSetStrategy, webStatefulSet());
  const { obj, errors } = update(statefulSetStrategy, webStatefulSet(), stored);
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec, stored.spec);
});

test('maxUnavailable is dropped while the MaxUnavailableStatefulSet gate is off (1.33 default)', () => {
  const sts = webStatefulSet();
  (sts.spec as any).updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } };
  assert.deepEqual((create(statefulSetStrategy, sts).obj.spec as any).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
});
