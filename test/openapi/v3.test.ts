import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openapiV3 } from '../../src/apiserver/openapi/v3.js';

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

function doc(key: string): Doc {
  const r = openapiV3(key);
  assert.ok(r, `no document for ${key}`);
  assert.equal(r.contentType, 'application/json');
  return JSON.parse(String(r.body)) as Doc;
}

test('the index lists every served group-version with a content hash', () => {
  const r = openapiV3('');
  assert.ok(r);
  const index = JSON.parse(String(r.body)) as { paths: Record<string, { serverRelativeURL: string }> };
  for (const key of ['api/v1', 'apis/apps/v1', 'apis/storage.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/events.k8s.io/v1', 'apis/coordination.k8s.io/v1']) {
    assert.match(index.paths[key]!.serverRelativeURL, new RegExp(`^/openapi/v3/${key.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
  }
  assert.equal(openapiV3('apis/nope/v1'), undefined);
});

test('apps/v1 has the StatefulSet PATCH operation kubectl probes for fieldValidation', () => {
  const patch = doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}']!.patch;
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'StatefulSet' });
  const names = (patch.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
  for (const n of ['fieldValidation', 'dryRun', 'fieldManager', 'force']) assert.ok(names.includes(n), n);
});

test('core/v1 uses the core group and cluster-scoped paths for cluster kinds', () => {
  const d = doc('api/v1');
  assert.deepEqual(d.paths['/api/v1/namespaces/{namespace}/pods/{name}']!.patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.ok(d.paths['/api/v1/persistentvolumes/{name}']!.patch);
});

test('components carry full schemas: StatefulSet.spec.updateStrategy with its description', () => {
  const schemas = doc('apis/apps/v1').components.schemas;
  const sts = schemas['io.k8s.api.apps.v1.StatefulSet'];
  assert.deepEqual(sts['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'StatefulSet', version: 'v1' }]);
  const us = schemas['io.k8s.api.apps.v1.StatefulSetSpec'].properties.updateStrategy;
  assert.match(us.description, /updateStrategy/);
  assert.deepEqual(us.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.StatefulSetUpdateStrategy' }]);
  const strategy = schemas['io.k8s.api.apps.v1.StatefulSetUpdateStrategy'];
  assert.ok(strategy.properties.rollingUpdate && strategy.properties.type);
  assert.deepEqual(schemas['io.k8s.api.apps.v1.StatefulSetSpec'].required, ['selector', 'serviceName', 'template']);
  assert.equal(schemas['io.k8s.api.apps.v1.StatefulSetSpec'].properties.replicas.format, 'int32');
  assert.equal(schemas['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-patch-merge-key'], 'containerPort');
});
