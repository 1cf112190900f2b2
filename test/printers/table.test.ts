import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/api/object.js';
import { findResource, RESOURCES } from '../../src/api/resources.js';
import { toTable } from '../../src/api/printers/table.js';
import { coreEventToEventsV1 } from '../../src/api/event-conversion.js';

const now = new Date('2025-01-01T01:00:00Z');
const created = '2025-01-01T00:59:51Z'; // 9s before now

function res(group: string, plural: string) {
  const r = findResource(group, 'v1', plural);
  assert.ok(r, plural);
  return r;
}

function meta(name: string, extra: Record<string, unknown> = {}) {
  return { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: created, ...extra };
}

function cells(group: string, plural: string, o: KObject): unknown[] {
  return toTable(res(group, plural), [o], { now, resourceVersion: '9' }).rows[0]!.cells;
}

test('table shape: kind, metadata, columns and PartialObjectMetadata rows', () => {
  const o: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg', { labels: { app: 'x' } }), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
  const t = toTable(res('', 'configmaps'), [o], { now, resourceVersion: '9', continueToken: 'abc' });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '9', continue: 'abc' });
  assert.deepEqual(t.columnDefinitions?.map((c) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(t.columnDefinitions?.[0], { name: 'Name', type: 'string', format: 'name', description: t.columnDefinitions?.[0]?.description, priority: 0 });
  assert.deepEqual(t.rows[0]!.cells, ['cfg', 3, '9s']);
  assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
});

test('includeObject and noHeaders', () => {
  const o: KObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'Opaque', data: { k: 'dg==' } };
  const none = toTable(res('', 'secrets'), [o], { now, resourceVersion: '1', includeObject: 'None', noHeaders: true });
  assert.equal(none.columnDefinitions, null);
  assert.equal(none.rows[0]!.object, null);
  assert.deepEqual(none.rows[0]!.cells, ['s', 'Opaque', 1, '9s']);
  const full = toTable(res('', 'secrets'), [o], { now, resourceVersion: '1', includeObject: 'Object' });
  assert.equal(full.rows[0]!.object, o);
});

test('every resource in the table has a printer with rows as wide as its columns', () => {
  for (const r of RESOURCES) {
    const t = toTable(r, [{ apiVersion: 'v1', kind: r.kind, metadata: meta('x') }], { now, resourceVersion: '1' });
    assert.equal(t.rows[0]!.cells.length, t.columnDefinitions!.length, r.plural);
  }
});

test('statefulset row', () => {
  const sts: KObject = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('web'),
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } } },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(cells('apps', 'statefulsets', sts), ['web', '2/3', '9s', 'nginx,side', 'nginx:1.27,busybox']);
});

test('service rows: ClusterIP, headless, NodePort, LoadBalancer pending, ExternalName', () => {
  const svc = (spec: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('nginx'), spec });
  assert.deepEqual(cells('', 'services', svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] })), [
    'nginx', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '9s', '<none>',
  ]);
  assert.deepEqual(cells('', 'services', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'nginx' } })), [
    'nginx', 'ClusterIP', 'None', '<none>', '80/TCP', '9s', 'app=nginx',
  ]);
  assert.deepEqual(cells('', 'services', svc({ type: 'NodePort', clusterIPs: ['10.96.0.5'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] })).slice(1, 5), [
    'NodePort', '10.96.0.5', '<none>', '80:30080/TCP,53/UDP',
  ]);
  assert.equal(cells('', 'services', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.6'], ports: [] }))[3], '<pending>');
  assert.deepEqual(cells('', 'services', svc({ type: 'ExternalName', externalName: 'example.com' })).slice(1, 5), ['ExternalName', '<none>', 'example.com', '<none>']);
});

test('pvc rows: bound and pending', () => {
  const bound: KObject = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('www-web-0'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeName: 'pvc-123', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], capacity: { storage: '1Gi' } },
  };
  assert.deepEqual(cells('', 'persistentvolumeclaims', bound), ['www-web-0', 'Bound', 'pvc-123', '1Gi', 'RWO,RWX', 'standard', '<unset>', '9s', 'Filesystem']);
  const pending: KObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('p', { deletionTimestamp: created }), spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } };
  assert.deepEqual(cells('', 'persistentvolumeclaims', pending), ['p', 'Terminating', '', '', '', '', '<unset>', '9s', '<unset>']);
});

test('pv row', () => {
  const pv: KObject = {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-123', creationTimestamp: created, annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', claimRef: { namespace: 'default', name: 'www-web-1' }, volumeMode: 'Filesystem' },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(cells('', 'persistentvolumes', pv), ['pvc-123', '1Gi', 'ROX,RWOP', 'Delete', 'Bound', 'default/www-web-1', 'legacy', '<unset>', '', '9s', 'Filesystem']);
});

test('endpoints: ip:port pairs and the + N more rule', () => {
  const ep = (n: number, ports: unknown[]): KObject => ({
    apiVersion: 'v1', kind: 'Endpoints', metadata: meta('nginx'),
    subsets: [{ addresses: Array.from({ length: n }, (_, i) => ({ ip: `10.244.0.${10 + i}` })), ports }],
  });
  assert.equal(cells('', 'endpoints', ep(2, [{ port: 80 }]))[1], '10.244.0.10:80,10.244.0.11:80');
  assert.equal(cells('', 'endpoints', ep(5, [{ port: 80 }]))[1], '10.244.0.10:80,10.244.0.11:80,10.244.0.12:80 + 2 more...');
  assert.equal(cells('', 'endpoints', ep(4, [{ port: 80 }, { port: 443 }]))[1], '10.244.0.10:80,10.244.0.11:80,10.244.0.12:80 + 5 more...');
  assert.equal(cells('', 'endpoints', ep(2, []))[1], '10.244.0.10,10.244.0.11');
  assert.equal(cells('', 'endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('e') })[1], '<none>');
});

test('endpointslice row', () => {
  const slice: KObject = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('nginx-abc'), addressType: 'IPv4',
    ports: [{ name: 'web', port: 80 }], endpoints: [{ addresses: ['10.244.0.10'] }, { addresses: ['10.244.0.11'] }],
  };
  assert.deepEqual(cells('discovery.k8s.io', 'endpointslices', slice), ['nginx-abc', 'IPv4', '80', '10.244.0.10,10.244.0.11', '9s']);
  assert.deepEqual(cells('discovery.k8s.io', 'endpointslices', { ...slice, ports: [], endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);
});

test('storageclass default marker and defaults', () => {
  const sc: KObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', creationTimestamp: created, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'ordinal.dev/local-path' };
  assert.deepEqual(cells('storage.k8s.io', 'storageclasses', sc), ['standard (default)', 'ordinal.dev/local-path', 'Delete', 'Immediate', false, '9s']);
});

test('controllerrevision row', () => {
  const cr: KObject = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 2,
    metadata: { ...meta('web-6b8d'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
  };
  assert.deepEqual(cells('apps', 'controllerrevisions', cr), ['web-6b8d', 'statefulset.apps/web', 2, '9s']);
});

test('node row', () => {
  const node: KObject = {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], nodeInfo: { kubeletVersion: 'v1.33.0', osImage: 'Debian' } },
  };
  assert.deepEqual(cells('', 'nodes', node), ['node-1', 'Ready,SchedulingDisabled', 'control-plane', '9s', 'v1.33.0', '10.0.0.1', '<none>', 'Debian', '<unknown>', '<unknown>']);
});

test('event rows from core and events.k8s.io shapes agree', () => {
  const core: KObject = {
    apiVersion: 'v1', kind: 'Event', metadata: meta('web-0.abc'),
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled', message: ' Container image pulled \n', type: 'Normal', source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2025-01-01T00:55:00Z', lastTimestamp: '2025-01-01T00:58:00Z', count: 3,
  };
  const want = ['2m', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{nginx}', 'kubelet, node-1', 'Container image pulled', '5m', 3, 'web-0.abc'];
  assert.deepEqual(cells('', 'events', core), want);
  assert.deepEqual(cells('events.k8s.io', 'events', coreEventToEventsV1(core)), want);
  const fresh: KObject = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('e2'), eventTime: '2025-01-01T00:59:00.000000Z',
    regarding: { kind: 'StatefulSet', name: 'web' }, reason: 'SuccessfulCreate', note: 'create Pod web-0', type: 'Normal', reportingController: 'statefulset-controller',
  };
  assert.deepEqual(cells('events.k8s.io', 'events', fresh), ['60s', 'Normal', 'SuccessfulCreate', 'statefulset/web', '', 'statefulset-controller', 'create Pod web-0', '60s', 1, 'e2']);
  const series = { ...fresh, series: { count: 4, lastObservedTime: '2025-01-01T00:59:50.000000Z' } };
  const row = cells('events.k8s.io', 'events', series);
  assert.equal(row[0], '10s');
  assert.equal(row[8], 4);
});

test('pod rows carry Completed conditions for terminal phases', () => {
  const p: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: meta('job'), spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } };
  const t = toTable(res('', 'pods'), [p], { now, resourceVersion: '1' });
  assert.equal(t.rows[0]!.conditions?.[0]?.type, 'Completed');
  assert.equal(t.rows[0]!.conditions?.[0]?.reason, 'Succeeded');
});
