import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, invalidError } from '../../../src/api/field-errors.js';
import type { KObject } from '../../../src/api/object.js';
import type { StrategyContext } from '../../../src/registry/strategy.js';
import { serviceStrategy as s } from '../../../src/registry/kinds/services.js';
import { allocateClusterIP, checkRequestedIP, kubernetesServiceIP, ipInRange } from '../../../src/registry/cluster-ip-allocator.js';

function ctx(used: string[] = []): StrategyContext {
  return { now: () => new Date(0), usedClusterIPs: () => new Set(used), serviceCIDR: '10.96.0.0/16' };
}

function create(svc: KObject, c = ctx()): { obj: KObject; errs: string[] } {
  const obj = structuredClone(svc);
  s.defaults!(obj);
  s.prepareForCreate!(obj, c);
  return { obj, errs: s.validate!(obj, c).map(errorText) };
}

const web = (): KObject => ({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });

test('a plain service gets upstream defaults and a cluster IP from the range', () => {
  const { obj, errs } = create(web());
  assert.deepEqual(errs, []);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.ok(ipInRange(spec.clusterIP, '10.96.0.0/16'));
  assert.notEqual(spec.clusterIP, '10.96.0.1');
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(obj.status, { loadBalancer: {} });
});

test('headless services keep None', () => {
  const svc = web();
  (svc.spec as any).clusterIP = 'None';
  const { obj, errs } = create(svc);
  assert.deepEqual(errs, []);
  assert.equal((obj.spec as any).clusterIP, 'None');
  assert.deepEqual((obj.spec as any).clusterIPs, ['None']);
});

test('a requested IP outside the range fails with upstream message', () => {
  const svc = web();
  (svc.spec as any).clusterIP = '10.0.0.5';
  const { obj } = create(svc);
  const errs = s.validate!(obj, ctx());
  assert.equal(
    invalidError('', 'Service', 'web', errs).message,
    'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
  );
});

test('a requested IP already in use fails', () => {
  const svc = web();
  (svc.spec as any).clusterIP = '10.96.0.10';
  assert.deepEqual(create(svc, ctx(['10.96.0.10'])).errs, [
    'spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  ]);
  assert.deepEqual(create(svc, ctx(['10.96.0.11'])).errs, []);
});

test('clusterIP may not change once set', () => {
  const { obj: old } = create(web());
  const next = structuredClone(old);
  (next.spec as any).clusterIP = '10.96.3.3';
  s.defaults!(next);
  s.prepareForUpdate!(next, old, ctx());
  const errs = s.validateUpdate!(next, old, ctx()).map(errorText);
  assert.deepEqual(errs, ['spec.clusterIPs[0]: Invalid value: []string{"10.96.3.3"}: may not change once set']);
});

test('an update that omits clusterIP keeps the allocated one', () => {
  const { obj: old } = create(web());
  const next: KObject = { metadata: { ...old.metadata }, spec: { selector: { app: 'other' }, ports: [{ port: 81 }] } };
  s.defaults!(next);
  s.prepareForUpdate!(next, old, ctx());
  assert.deepEqual(s.validateUpdate!(next, old, ctx()), []);
  assert.equal((next.spec as any).clusterIP, (old.spec as any).clusterIP);
});

test('ports: required, names required and unique when several, protocol supported', () => {
  const noPorts: KObject = { metadata: { name: 'a', namespace: 'default' }, spec: {} };
  assert.deepEqual(create(noPorts).errs, ['spec.ports: Required value']);
  const svc: KObject = { metadata: { name: 'a', namespace: 'default' }, spec: { ports: [{ port: 80 }, { port: 0, name: 'x', protocol: 'HTTP' }] } };
  assert.deepEqual(create(svc).errs, [
    'spec.ports[0].name: Required value',
    'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    // targetPort defaults to port, so it is reported too, as upstream does.
    'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
});

test('ExternalName needs externalName and gets no cluster IP', () => {
  const svc: KObject = { metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName' } };
  assert.deepEqual(create(svc).errs, ['spec.externalName: Required value']);
  (svc.spec as any).externalName = 'example.com';
  const { obj, errs } = create(svc);
  assert.deepEqual(errs, []);
  assert.equal((obj.spec as any).clusterIP, undefined);
});

test('NodePort services get node ports in range', () => {
  const svc = web();
  (svc.spec as any).type = 'NodePort';
  const { obj, errs } = create(svc);
  assert.deepEqual(errs, []);
  const np = (obj.spec as any).ports[0].nodePort;
  assert.ok(np >= 30000 && np <= 32767);
  assert.equal((obj.spec as any).externalTrafficPolicy, 'Cluster');
});

test('allocator: first address reserved, exhaustion, range checks', () => {
  assert.equal(kubernetesServiceIP('10.96.0.0/16'), '10.96.0.1');
  assert.equal(allocateClusterIP('10.96.0.0/16', new Set(), () => 0), '10.96.0.2');
  assert.equal(allocateClusterIP('10.0.0.0/29', new Set(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']), () => 0), '10.0.0.6');
  assert.equal(allocateClusterIP('10.0.0.0/29', new Set(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']), () => 0.5), undefined);
  assert.deepEqual(checkRequestedIP('10.96.0.1', '10.96.0.0/16', new Set()), { ok: true });
  assert.equal(checkRequestedIP('10.96.255.255', '10.96.0.0/16', new Set()).ok, false);
});
