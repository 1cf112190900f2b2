// The tutorial's headless Service: EndpointSlices and legacy Endpoints follow its pods'
// addresses, readiness, hostnames and deletion.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { R, endpointsByPod, headlessService, node, setPod, startCluster, waitEndpoints, waitSlices, type Cluster } from './harness.js';

const SVC = 'examplestatefulservice';
const IPS = ['10.244.0.12', '10.244.0.9', '10.244.0.10'];

async function tutorialSet(c: Cluster, ready = true): Promise<KObject> {
  await c.create(R.nodes, node('node-1', 'zone-a'));
  const svc = await c.create(R.services, headlessService());
  for (let i = 0; i < 3; i++) {
    await c.create(R.pods, setPod(i));
    await c.setPodStatus(`examplestatefulset-${i}`, { ip: IPS[i], ready });
  }
  return svc;
}

test('a headless Service gets one slice with its three pods, with hostnames, and matching Endpoints', async () => {
  const c = await startCluster();
  try {
    const svc = await tutorialSet(c);
    const [slice] = await waitSlices(c, SVC, (s) => s.length === 1 && endpointsByPod(s).size === 3, 'one slice with 3 endpoints');
    assert.match(slice!.metadata.name!, /^examplestatefulservice-[a-z0-9]{5}$/);
    assert.equal(slice!.metadata.generateName, 'examplestatefulservice-');
    assert.deepEqual(slice!.metadata.labels, {
      app: 'examplestatefulset',
      'kubernetes.io/service-name': SVC,
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'service.kubernetes.io/headless': '',
    });
    assert.deepEqual(slice!.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: SVC, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(slice!.ports, [{ name: '', protocol: 'TCP', port: 80 }]);
    const pods = await Promise.all([0, 1, 2].map((i) => c.tryGet(R.pods, `examplestatefulset-${i}`)));
    const eps = endpointsByPod([slice!]);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(eps.get(`examplestatefulset-${i}`), {
        addresses: [IPS[i]],
        conditions: { ready: true, serving: true, terminating: false },
        hostname: `examplestatefulset-${i}`,
        nodeName: 'node-1',
        zone: 'zone-a',
        targetRef: { kind: 'Pod', namespace: 'default', name: `examplestatefulset-${i}`, uid: pods[i]!.metadata.uid },
      });
    }
    assert.ok(slice!.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);

    const ep = await waitEndpoints(c, SVC, (e) => ((e.subsets as { addresses?: unknown[] }[] | undefined)?.[0]?.addresses?.length ?? 0) === 3, 'Endpoints with 3 addresses');
    assert.deepEqual(ep.metadata.labels, { app: 'examplestatefulset', 'service.kubernetes.io/headless': '' });
    assert.equal(ep.metadata.ownerReferences, undefined);
    const subsets = ep.subsets as { addresses: Record<string, unknown>[]; ports: unknown[] }[];
    assert.equal(subsets.length, 1);
    // Sorted by IP as bytes, as upstream: .10 < .12 < .9.
    assert.deepEqual(
      subsets[0]!.addresses.map((a) => [a.ip, a.hostname, a.nodeName]),
      [
        ['10.244.0.10', 'examplestatefulset-2', 'node-1'],
        ['10.244.0.12', 'examplestatefulset-0', 'node-1'],
        ['10.244.0.9', 'examplestatefulset-1', 'node-1'],
      ],
    );
    assert.deepEqual(subsets[0]!.addresses[0]!.targetRef, { kind: 'Pod', namespace: 'default', name: 'examplestatefulset-2', uid: pods[2]!.metadata.uid });
    assert.deepEqual(subsets[0]!.ports, [{ port: 80, protocol: 'TCP' }]);
  } finally {
    await c.close();
  }
});

test('a not-ready pod is ready=false in the slice and under notReadyAddresses; publishNotReadyAddresses makes it ready', async () => {
  const c = await startCluster();
  try {
    await tutorialSet(c);
    await c.setPodStatus('examplestatefulset-1', { ready: false });
    await waitSlices(c, SVC, (s) => (endpointsByPod(s).get('examplestatefulset-1')?.conditions as { ready?: boolean })?.ready === false, 'pod 1 not ready');
    const slices = await c.slices(SVC);
    assert.equal(slices.length, 1);
    assert.deepEqual(endpointsByPod(slices).get('examplestatefulset-1')!.conditions, { ready: false, serving: false, terminating: false });
    const ep = await waitEndpoints(c, SVC, (e) => Array.isArray((e.subsets as Record<string, unknown>[])?.[0]?.notReadyAddresses), 'notReadyAddresses');
    const subset = (ep.subsets as Record<string, { ip: string }[]>[])[0]!;
    assert.deepEqual(subset.addresses!.map((a) => a.ip), ['10.244.0.10', '10.244.0.12']);
    assert.deepEqual(subset.notReadyAddresses!.map((a) => a.ip), ['10.244.0.9']);

    const svc = (await c.tryGet(R.services, SVC))!;
    (svc.spec as Record<string, unknown>).publishNotReadyAddresses = true;
    await c.client.update(R.services, 'default', svc);
    await waitSlices(c, SVC, (s) => (endpointsByPod(s).get('examplestatefulset-1')?.conditions as { ready?: boolean })?.ready === true, 'pod 1 published as ready');
    assert.deepEqual(endpointsByPod(await c.slices(SVC)).get('examplestatefulset-1')!.conditions, { ready: true, serving: false, terminating: false });
    const ep2 = await waitEndpoints(c, SVC, (e) => (e.subsets as Record<string, unknown[]>[])?.[0]?.addresses?.length === 3, 'all addresses ready');
    assert.equal((ep2.subsets as Record<string, unknown>[])[0]!.notReadyAddresses, undefined);
  } finally {
    await c.close();
  }
});

test('a pod whose IP changes is updated in place; a terminating pod stays in the slice as terminating and leaves Endpoints', async () => {
  const c = await startCluster();
  try {
    await tutorialSet(c);
    const [before] = await waitSlices(c, SVC, (s) => endpointsByPod(s).size === 3, '3 endpoints');
    await c.setPodStatus('examplestatefulset-1', { ip: '10.244.0.33', ready: true });
    const [after] = await waitSlices(c, SVC, (s) => (endpointsByPod(s).get('examplestatefulset-1')?.addresses as string[])?.[0] === '10.244.0.33', 'new IP');
    assert.equal(after!.metadata.name, before!.metadata.name);
    assert.equal(endpointsByPod([after!]).size, 3);
    await waitEndpoints(c, SVC, (e) => JSON.stringify(e.subsets).includes('10.244.0.33') && !JSON.stringify(e.subsets).includes('10.244.0.9"'), 'Endpoints with the new IP');

    // Graceful deletion: with no node agent the pod stays, terminating.
    await c.client.delete(R.pods, 'default', 'examplestatefulset-2');
    const slices = await waitSlices(c, SVC, (s) => (endpointsByPod(s).get('examplestatefulset-2')?.conditions as { terminating?: boolean })?.terminating === true, 'terminating endpoint');
    assert.deepEqual(endpointsByPod(slices).get('examplestatefulset-2')!.conditions, { ready: false, serving: true, terminating: true });
    const ep = await waitEndpoints(c, SVC, (e) => !JSON.stringify(e.subsets).includes('10.244.0.10'), 'terminating pod gone from Endpoints');
    assert.equal((ep.subsets as Record<string, unknown[]>[])[0]!.addresses!.length, 2);
  } finally {
    await c.close();
  }
});
