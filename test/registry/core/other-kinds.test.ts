import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../../src/api/field-errors.js';
import type { KObject } from '../../../src/api/object.js';
import type { Strategy, StrategyContext } from '../../../src/registry/strategy.js';
import { namespaceStrategy } from '../../../src/registry/kinds/namespaces.js';
import { secretStrategy } from '../../../src/registry/kinds/secrets.js';
import { configMapStrategy } from '../../../src/registry/kinds/configmaps.js';
import { eventStrategy } from '../../../src/registry/kinds/events.js';
import { nodeStrategy } from '../../../src/registry/kinds/nodes.js';
import { endpointSliceStrategy } from '../../../src/registry/kinds/endpointslices.js';
import { leaseStrategy } from '../../../src/registry/kinds/leases.js';

const ctx: StrategyContext = { now: () => new Date(0), usedClusterIPs: () => new Set(), serviceCIDR: '10.96.0.0/16' };

function create(s: Strategy, o: KObject): { obj: KObject; errs: string[] } {
  const obj = structuredClone(o);
  s.defaults?.(obj);
  s.prepareForCreate?.(obj, ctx);
  return { obj, errs: (s.validate?.(obj, ctx) ?? []).map(errorText) };
}

test('namespace: Active, kubernetes finalizer, name label; names are DNS labels', () => {
  const { obj, errs } = create(namespaceStrategy, { metadata: { name: 'team-a' } });
  assert.deepEqual(errs, []);
  assert.deepEqual(obj.status, { phase: 'Active' });
  assert.deepEqual((obj.spec as any).finalizers, ['kubernetes']);
  assert.equal(obj.metadata.labels?.['kubernetes.io/metadata.name'], 'team-a');
  assert.deepEqual(create(namespaceStrategy, { metadata: { name: 'a.b' } }).errs, ['metadata.name: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(namespaceStrategy.fieldSelectorFields!(obj), { 'status.phase': 'Active' });
});

test('namespace update keeps spec.finalizers and status', () => {
  const { obj: old } = create(namespaceStrategy, { metadata: { name: 'a' } });
  const next: KObject = { metadata: { name: 'a', labels: { x: 'y' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
  namespaceStrategy.defaults!(next);
  namespaceStrategy.prepareForUpdate!(next, old, ctx);
  assert.deepEqual((next.spec as any).finalizers, ['kubernetes']);
  assert.deepEqual(next.status, { phase: 'Active' });
  assert.equal(next.metadata.labels?.['kubernetes.io/metadata.name'], 'a');
});

test('secret: type defaults to Opaque, stringData folds into data, type is immutable', () => {
  const { obj, errs } = create(secretStrategy, { metadata: { name: 's', namespace: 'default' }, stringData: { password: 'hunter2' } });
  assert.deepEqual(errs, []);
  assert.equal(obj.type, 'Opaque');
  assert.deepEqual(obj.data, { password: Buffer.from('hunter2').toString('base64') });
  assert.equal(obj.stringData, undefined);
  const changed = { ...structuredClone(obj), type: 'kubernetes.io/tls' };
  const errs2 = secretStrategy.validateUpdate!(changed, obj, ctx).map(errorText);
  assert.ok(errs2.includes('type: Invalid value: "kubernetes.io/tls": field is immutable'), errs2.join('\n'));
  assert.deepEqual(create(secretStrategy, { metadata: { name: 't', namespace: 'default' }, type: 'kubernetes.io/tls', data: {} }).errs, [
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
});

test('configmap keys and immutability', () => {
  assert.deepEqual(create(configMapStrategy, { metadata: { name: 'c', namespace: 'default' }, data: { 'bad key': 'v' } }).errs, [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
  const old: KObject = { metadata: { name: 'c', namespace: 'default' }, data: { a: '1' }, immutable: true };
  const next: KObject = { metadata: { name: 'c', namespace: 'default' }, data: { a: '2' }, immutable: true };
  assert.deepEqual(configMapStrategy.validateUpdate!(next, old, ctx).map(errorText), ['data: Forbidden: field is immutable when `immutable` is set']);
});

test('event namespaces must agree and field selectors expose involvedObject', () => {
  const ev: KObject = {
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'other', name: 'web-0' },
    reason: 'Started',
    source: { component: 'kubelet' },
    type: 'Normal',
  };
  assert.deepEqual(create(eventStrategy, ev).errs, ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const fields = eventStrategy.fieldSelectorFields!(ev);
  assert.equal(fields['involvedObject.name'], 'web-0');
  assert.equal(fields.source, 'kubelet');
  assert.equal(fields.reason, 'Started');
});

test('node taints are validated and spec.unschedulable is selectable', () => {
  const node: KObject = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'a', effect: 'Sometimes' }], unschedulable: true } };
  assert.deepEqual(create(nodeStrategy, node).errs, ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  assert.deepEqual(nodeStrategy.fieldSelectorFields!(node), { 'spec.unschedulable': 'true' });
});

test('endpointslice address type and addresses', () => {
  const slice: KObject = { metadata: { name: 'web-abc', namespace: 'default' }, endpoints: [{ addresses: ['10.0.0.1'] }] };
  assert.deepEqual(create(endpointSliceStrategy, slice).errs, ['addressType: Required value']);
  assert.deepEqual(create(endpointSliceStrategy, { ...slice, addressType: 'IPv4', endpoints: [{ addresses: ['nope'] }] }).errs, [
    'endpoints[0].addresses[0]: Invalid value: "nope": must be a valid IPv4 address',
  ]);
});

test('lease duration must be positive', () => {
  assert.deepEqual(create(leaseStrategy, { metadata: { name: 'l', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } }).errs, [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
});
