import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  legacyAPIVersions,
  negotiateDiscovery,
} from '../../src/apiserver/discovery.js';

type Json = Record<string, any>;
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

test('legacy /api lists v1 with the server address', () => {
  assert.deepEqual(legacyAPIVersions('127.0.0.1:6443'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  });
});

test('legacy /apis lists every named group with its preferred version', () => {
  const doc = apiGroupList() as Json;
  assert.equal(doc.kind, 'APIGroupList');
  assert.equal(doc.apiVersion, 'v1');
  const names = doc.groups.map((g: Json) => g.name);
  assert.deepEqual(names, ['apps', 'events.k8s.io', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io']);
  assert.deepEqual(doc.groups[0], { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
  assert.equal((apiGroupDocument('apps') as Json).kind, 'APIGroup');
  assert.equal(apiGroupDocument('nope.example.com'), undefined);
});

test('/api/v1 resource list has subresources with empty singular names', () => {
  const doc = apiResourceList('', 'v1') as Json;
  assert.equal(doc.kind, 'APIResourceList');
  assert.equal(doc.groupVersion, 'v1');
  const byName = new Map<string, Json>(doc.resources.map((r: Json) => [r.name, r]));
  assert.deepEqual(byName.get('pods'), { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ALL, shortNames: ['po'], categories: ['all'] });
  assert.deepEqual(byName.get('pods/status'), { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
  assert.equal(byName.get('namespaces')!.namespaced, false);
  assert.equal(byName.get('namespaces/finalize')!.namespaced, false);
  assert.equal(byName.get('configmaps')!.categories, undefined);
  for (const r of doc.resources) assert.equal('storageVersionHash' in r, false);
  // Subresources follow their parent.
  const names: string[] = doc.resources.map((r: Json) => r.name);
  assert.ok(names.indexOf('pods/attach') === names.indexOf('pods') + 1);
  assert.equal(apiResourceList('apps', 'v2'), undefined);
});

test('/apis/apps/v1: statefulsets with sts, all, and scale from autoscaling/v1', () => {
  const doc = apiResourceList('apps', 'v1') as Json;
  const byName = new Map<string, Json>(doc.resources.map((r: Json) => [r.name, r]));
  const sts = byName.get('statefulsets')!;
  assert.deepEqual(sts.shortNames, ['sts']);
  assert.deepEqual(sts.categories, ['all']);
  assert.deepEqual(byName.get('statefulsets/scale'), { name: 'statefulsets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  assert.equal('group' in byName.get('statefulsets/status')!, false);
});

test('aggregated /apis v2: apps group with statefulsets', () => {
  const doc = aggregatedDiscovery('apis', 'v2') as Json;
  assert.equal(doc.kind, 'APIGroupDiscoveryList');
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(doc.metadata, {});
  const apps = doc.items.find((i: Json) => i.metadata.name === 'apps');
  assert.equal(apps.versions[0].version, 'v1');
  assert.equal(apps.versions[0].freshness, 'Current');
  const sts = apps.versions[0].resources.find((r: Json) => r.resource === 'statefulsets');
  assert.deepEqual(sts, {
    resource: 'statefulsets',
    responseKind: { group: '', version: '', kind: 'StatefulSet' },
    scope: 'Namespaced',
    singularResource: 'statefulset',
    verbs: ALL,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'StatefulSet' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  const sc = doc.items.find((i: Json) => i.metadata.name === 'storage.k8s.io').versions[0].resources[0];
  assert.equal(sc.scope, 'Cluster');
  assert.equal(doc.items.some((i: Json) => i.metadata.name === undefined), false);
});

test('aggregated /api v2beta1: one core item without a name', () => {
  const doc = aggregatedDiscovery('api', 'v2beta1') as Json;
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.equal(doc.items.length, 1);
  assert.deepEqual(doc.items[0].metadata, { creationTimestamp: null });
  const resources = doc.items[0].versions[0].resources;
  const pods = resources.find((r: Json) => r.resource === 'pods');
  assert.deepEqual(pods.subresources.map((s: Json) => s.subresource), ['attach', 'binding', 'exec', 'log', 'portforward', 'status']);
  assert.deepEqual(pods.subresources.find((s: Json) => s.subresource === 'status').responseKind, { group: '', version: '', kind: 'Pod' });
  assert.equal(resources.find((r: Json) => r.resource === 'persistentvolumes').scope, 'Cluster');
  assert.equal(resources.find((r: Json) => r.resource === 'endpoints').singularResource, 'endpoints');
});

test('Accept negotiation for kubectl 1.27 and 1.33', () => {
  const k127 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const k133 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.deepEqual(negotiateDiscovery(k127), { kind: 'aggregated', version: 'v2beta1', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' });
  assert.deepEqual(negotiateDiscovery(k133), { kind: 'aggregated', version: 'v2', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  assert.deepEqual(negotiateDiscovery('application/json, */*'), { kind: 'legacy', contentType: 'application/json' });
  assert.deepEqual(negotiateDiscovery(undefined), { kind: 'legacy', contentType: 'application/json' });
  assert.deepEqual(negotiateDiscovery('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'), { kind: 'legacy', contentType: 'application/json' });
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), undefined);
  assert.equal(negotiateDiscovery('text/html'), undefined);
  // q-values reorder preferences.
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList')?.kind, 'aggregated');
  assert.deepEqual((negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList') as Json).version, 'v2beta1');
});
