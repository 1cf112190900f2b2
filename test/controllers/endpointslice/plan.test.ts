// The pure parts: slice planning (capacity, placement, node lookups), subset repacking and
// truncation, the trigger-time tracker and the slice tracker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { planSlices } from '../../../src/controllers/endpointslice/slice-plan.js';
import { podToSliceEndpoint } from '../../../src/controllers/endpointslice/slice-endpoint.js';
import { repackSubsets, truncateSubsets, type EndpointSubset } from '../../../src/controllers/endpointslice/endpoint-subsets.js';
import { formatTriggerTime, TriggerTimeTracker } from '../../../src/controllers/endpointslice/trigger-time.js';
import { SliceTracker } from '../../../src/controllers/endpointslice/slice-tracker.js';
import { serviceKeyOfSlice } from '../../../src/controllers/endpointslice/slice-object.js';

const svc: KObject = {
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', creationTimestamp: '2030-01-01T00:00:00Z' },
  spec: { clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};

function readyPod(i: number, extra: Partial<{ nodeName: string; hostname: string; subdomain: string; ready: string }> = {}): KObject {
  return {
    metadata: { name: `p-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' } },
    spec: { nodeName: extra.nodeName ?? 'n1', hostname: extra.hostname, subdomain: extra.subdomain, containers: [{ name: 'c' }] },
    status: {
      phase: 'Running',
      podIPs: [{ ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}` }],
      conditions: [{ type: 'Ready', status: extra.ready ?? 'True', lastTransitionTime: `2030-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` }],
    },
  };
}

const nodes = (name: string) => (name === 'n1' ? { metadata: { name: 'n1' } } : undefined);

test('250 pods fill slices of at most 100 endpoints', () => {
  const pods = Array.from({ length: 250 }, (_, i) => readyPod(i));
  const plan = planSlices({ service: svc, pods, slices: [], node: nodes });
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.update, []);
  assert.deepEqual(
    plan.create.map((s) => (s.endpoints as unknown[]).length),
    [100, 100, 50],
  );
  assert.equal(new Set(plan.create.flatMap((s) => (s.endpoints as { addresses: string[] }[]).map((e) => e.addresses[0]))).size, 250);
});

test('new endpoints join the existing slice they fit rather than a new one; vanished ones leave it', () => {
  const existing: KObject = {
    metadata: { name: 'web-abcde', namespace: 'default', uid: 's1', resourceVersion: '5', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }] },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: [podToSliceEndpoint(readyPod(0), nodes('n1'), svc, 'IPv4'), podToSliceEndpoint(readyPod(1), nodes('n1'), svc, 'IPv4')],
  };
  // Unchanged: no writes at all.
  const same = planSlices({ service: svc, pods: [readyPod(0), readyPod(1)], slices: [existing], node: nodes });
  assert.deepEqual([same.create.length, same.update.length, same.delete.length], [0, 0, 0]);
  // One more pod: the existing slice is updated, nothing is created.
  const grown = planSlices({ service: svc, pods: [readyPod(0), readyPod(1), readyPod(2)], slices: [existing], node: nodes });
  assert.deepEqual([grown.create.length, grown.update.length, grown.delete.length], [0, 1, 0]);
  assert.equal(grown.update[0]!.metadata.resourceVersion, '5');
  assert.equal((grown.update[0]!.endpoints as unknown[]).length, 3);
  // All pods gone: the slice becomes the placeholder, rewritten in place.
  const empty = planSlices({ service: svc, pods: [], slices: [existing], node: nodes });
  assert.deepEqual([empty.create.length, empty.update.length, empty.delete.length], [0, 1, 0]);
  assert.equal(empty.update[0]!.metadata.name, 'web-abcde');
  assert.equal(empty.update[0]!.endpoints, null);
});

test('a pod on a missing node is left out and reported, unless not-ready addresses are published', () => {
  const pods = [readyPod(0), readyPod(1, { nodeName: 'ghost' })];
  const plan = planSlices({ service: svc, pods, slices: [], node: nodes });
  assert.equal((plan.create[0]!.endpoints as unknown[]).length, 1);
  assert.match(plan.errors[0]!, /Node ghost Not Found/);
  const publishing = { ...svc, spec: { ...(svc.spec as object), publishNotReadyAddresses: true } };
  const plan2 = planSlices({ service: publishing, pods, slices: [], node: nodes });
  assert.equal((plan2.create[0]!.endpoints as unknown[]).length, 2);
  assert.deepEqual(plan2.errors, []);
});

test('hostname is set only when the pod subdomain names the Service', () => {
  assert.equal(podToSliceEndpoint(readyPod(0, { hostname: 'h', subdomain: 'web' }), undefined, svc, 'IPv4').hostname, 'h');
  assert.equal(podToSliceEndpoint(readyPod(0, { hostname: 'h', subdomain: 'other' }), undefined, svc, 'IPv4').hostname, undefined);
  assert.equal(podToSliceEndpoint(readyPod(0, { subdomain: 'web' }), undefined, svc, 'IPv4').hostname, undefined);
});

test('repacking groups addresses by the ports they serve; not ready wins for one address and port', () => {
  const a = { ip: '10.0.0.2', targetRef: { uid: 'a' } };
  const b = { ip: '10.0.0.10', targetRef: { uid: 'b' } };
  const http = { name: 'http', port: 80, protocol: 'TCP' };
  const dns = { name: 'dns', port: 53, protocol: 'UDP' };
  const raw: EndpointSubset[] = [
    { addresses: [a], ports: [http] },
    { addresses: [a], ports: [dns] },
    { addresses: [b], ports: [http] },
    { notReadyAddresses: [b], ports: [http] },
    { addresses: [b], ports: [dns] },
  ];
  assert.deepEqual(repackSubsets(raw), [
    { addresses: [a], notReadyAddresses: [b], ports: [http] },
    { addresses: [b, a], ports: [dns] },
  ].sort((x, y) => (x.addresses[0]!.ip < y.addresses[0]!.ip ? -1 : 1)));
});

test('truncation keeps 1000 addresses, cutting not-ready ones first', () => {
  const addrs = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${Math.floor(i / 250)}.${i % 250}` }));
  const subsets: EndpointSubset[] = [{ addresses: addrs(900, 1), notReadyAddresses: addrs(300, 2) }];
  assert.equal(truncateSubsets(subsets), true);
  assert.equal(subsets[0]!.addresses!.length, 900);
  assert.equal(subsets[0]!.notReadyAddresses!.length, 100);
  assert.equal(truncateSubsets([{ addresses: addrs(10, 1) }]), false);
});

test('trigger time: the Service creation first, then the earliest changed Ready transition, else none', () => {
  const t = new TriggerTimeTracker();
  const pods = [readyPod(5), readyPod(7)];
  assert.equal(formatTriggerTime(t.compute('default/web', svc, pods)!), '2030-01-01T00:00:00Z');
  assert.equal(t.compute('default/web', svc, pods), undefined);
  const later = readyPod(7);
  (later.status as { conditions: { lastTransitionTime: string }[] }).conditions[0]!.lastTransitionTime = '2030-01-01T00:01:00.250Z';
  assert.equal(formatTriggerTime(t.compute('default/web', svc, [pods[0]!, later])!), '2030-01-01T00:01:00.25Z');
});

test('the slice tracker flags a cache that has not seen our last write or deletion', () => {
  const tracker = new SliceTracker(serviceKeyOfSlice);
  const slice = (rv: string): KObject => ({ metadata: { namespace: 'default', name: 'web-x', uid: 'u1', resourceVersion: rv, labels: { 'kubernetes.io/service-name': 'web' } } });
  tracker.update(slice('10'));
  assert.equal(tracker.staleSlices('default/web', []), true);
  assert.equal(tracker.staleSlices('default/web', [slice('9')]), true);
  assert.equal(tracker.staleSlices('default/web', [slice('10')]), false);
  assert.equal(tracker.shouldSync(slice('10')), false);
  assert.equal(tracker.shouldSync(slice('11')), true);
  tracker.expectDeletion(slice('10'));
  assert.equal(tracker.staleSlices('default/web', [slice('10')]), true);
  assert.equal(tracker.handleDeletion(slice('10')), true);
  assert.equal(tracker.staleSlices('default/web', []), false);
});
