// The strategic merge patches real kubectl sends for the tutorial's objects (captured in
// research/kubectl-compat.md §4.4, §4.14 and §7.2), applied to live objects as the server
// stores them: the result must be what the manifest says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from '../../src/api/patch/index.js';

const SMP = 'application/strategic-merge-patch+json';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const patchAs = (kind: string, original: object, patch: unknown): Record<string, any> => applyPatch(SMP, original, patch, kind);

function liveStatefulSet() {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'nginx', tier: 'front' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{old}\n' }, generation: 1 },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      serviceName: 'nginx',
      podManagementPolicy: 'OrderedReady',
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'busybox:1.36',
              args: ['sleep', '3600'],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }],
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/cache' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              imagePullPolicy: 'IfNotPresent',
            },
            { name: 'sidecar', image: 'busybox:1.36', args: ['sleep', 'infinity'] },
          ],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'cache', emptyDir: {} },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        },
      ],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    },
    status: { replicas: 2, conditions: [{ type: 'X', status: 'True' }] },
  };
}

test('kubectl apply (§7.2): containers, env, ports, volumeMounts, volumes with $retainKeys, label removal', () => {
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{new}\n' }, labels: { tier: null } },
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'main' }],
          '$setElementOrder/volumes': [{ name: 'tmp' }],
          containers: [
            {
              '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
              '$setElementOrder/ports': [{ containerPort: 80 }],
              '$setElementOrder/volumeMounts': [{ mountPath: '/tmp' }],
              args: ['sleep', '7200'],
              env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }],
              image: 'busybox:1.37',
              name: 'main',
              ports: [{ $patch: 'delete', containerPort: 9090 }],
              volumeMounts: [{ $patch: 'delete', mountPath: '/cache' }],
            },
            { $patch: 'delete', name: 'sidecar' },
          ],
          volumes: [
            { $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/data' }, name: 'tmp' },
            { $patch: 'delete', name: 'cache' },
          ],
        },
      },
    },
  };
  const live = liveStatefulSet();
  const out = patchAs('StatefulSet', live, patch);
  assert.deepEqual(out.metadata.labels, { app: 'nginx' });
  assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], '{new}\n');
  assert.deepEqual(out.spec.template.spec.containers, [
    {
      name: 'main',
      image: 'busybox:1.37',
      args: ['sleep', '7200'],
      env: [{ name: 'C', value: '3' }, { name: 'A', value: '1' }],
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      imagePullPolicy: 'IfNotPresent',
    },
  ]);
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'tmp', hostPath: { path: '/data' } }]);
  // untouched parts survive
  assert.equal(out.spec.replicas, 2);
  assert.equal(out.spec.template.spec.restartPolicy, 'Always');
  assert.deepEqual(out.spec.volumeClaimTemplates, live.spec.volumeClaimTemplates);
  assert.deepEqual(out.status, live.status);
  assert.ok(!JSON.stringify(out).includes('"$'));
});

test('kubectl apply (§4.4): replicas, image, env by $setElementOrder, volumeClaimTemplates replaced (atomic)', () => {
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{…}\n' } },
    spec: {
      replicas: 3,
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'main' }, { name: 'sidecar' }],
          containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A', value: '2' }, { name: 'B', $patch: 'delete' }], image: 'registry.k8s.io/nginx-slim:0.9', name: 'main' }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
  const out = patchAs('StatefulSet', liveStatefulSet(), patch);
  assert.equal(out.spec.replicas, 3);
  const [main, sidecar] = out.spec.template.spec.containers;
  assert.equal(main.image, 'registry.k8s.io/nginx-slim:0.9');
  assert.deepEqual(main.env, [{ name: 'A', value: '2' }]);
  assert.deepEqual(main.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }]);
  assert.equal(sidecar.name, 'sidecar');
  assert.deepEqual(out.spec.volumeClaimTemplates, patch.spec.volumeClaimTemplates);
});

test('kubectl apply: Service ports merge by port (§7.2)', () => {
  const live = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'nginx', labels: { app: 'nginx' } },
    spec: {
      clusterIP: 'None',
      clusterIPs: ['None'],
      ports: [
        { name: 'web', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'tls', port: 443, protocol: 'TCP', targetPort: 443 },
      ],
      selector: { app: 'nginx' },
    },
  };
  const out = patchAs('Service', live, { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, targetPort: 8081 }, { $patch: 'delete', port: 443 }] } });
  assert.deepEqual(out.spec.ports, [{ name: 'web', port: 80, protocol: 'TCP', targetPort: 8081 }]);
  assert.deepEqual(out.spec.clusterIPs, ['None']);
});

test('kubectl rollout undo (§4.14): the template is replaced by the revision verbatim', () => {
  const live = liveStatefulSet();
  live.spec.template.metadata = { labels: { app: 'nginx' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } as typeof live.spec.template.metadata;
  const revisionTemplate = {
    metadata: { labels: { app: 'nginx' } },
    spec: {
      containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8', ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }], resources: {} }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
  };
  const out = patchAs('StatefulSet', live, { spec: { template: { ...revisionTemplate, $patch: 'replace' } } });
  assert.deepEqual(out.spec.template, revisionTemplate);
  assert.equal(out.spec.replicas, 2);
  assert.deepEqual(out.spec.selector, { matchLabels: { app: 'nginx' } });
  assert.deepEqual(out.spec.volumeClaimTemplates, live.spec.volumeClaimTemplates);
});

test('kubectl rollout restart: an annotation is added to the template', () => {
  const out = patchAs('StatefulSet', liveStatefulSet(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T23:46:31Z' } } } } });
  assert.deepEqual(out.spec.template.metadata, { labels: { app: 'nginx' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T23:46:31Z' } });
});

test('kubectl set image style patch: one container changes, the others stay in place', () => {
  const out = patchAs('StatefulSet', liveStatefulSet(), { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } } });
  const names = out.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`);
  assert.deepEqual(names, ['main=busybox:1.36', 'sidecar=busybox:1.37']);
});

test('Node status: conditions and addresses merge by type', () => {
  const live = {
    metadata: { name: 'n1' },
    status: {
      conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'n1' }],
    },
  };
  const out = patchAs('Node', live, { status: { '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'MemoryPressure' }], conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'node-1' }] } });
  assert.deepEqual(out.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }]);
  assert.deepEqual(out.status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }]);
});

test('Pod status conditions merge by type', () => {
  const live = { metadata: { name: 'web-0' }, status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }] } };
  const out = patchAs('Pod', live, { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  assert.deepEqual(out.status.conditions, [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }]);
});

test('ConfigMap data and Lease spec merge as maps', () => {
  const cm = patchAs('ConfigMap', { metadata: { name: 'c' }, data: { a: '1', b: '2' } }, { data: { b: null, c: '3' } });
  assert.deepEqual(cm.data, { a: '1', c: '3' });
  const lease = patchAs('Lease', { metadata: { name: 'l' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } }, { spec: { holderIdentity: 'b' } });
  assert.deepEqual(lease.spec, { holderIdentity: 'b', leaseDurationSeconds: 15 });
});
