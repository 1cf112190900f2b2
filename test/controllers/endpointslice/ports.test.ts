// Service ports resolve per pod: a named target port finds each pod's own container port,
// and pods serving different port sets land in different slices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { R, endpointsByPod, node, pod, startCluster, waitEndpoints, waitSlices } from './harness.js';

function clusterIPService(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', appProtocol: 'http' },
        { name: 'metrics', port: 9100, targetPort: 9100 },
      ],
    },
  };
}

test('a named targetPort is resolved per pod; distinct port sets get distinct slices', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('node-1'));
    await c.create(R.services, clusterIPService());
    await c.create(R.pods, pod('a', { ports: [{ name: 'http', containerPort: 8080 }] }));
    await c.create(R.pods, pod('b', { ports: [{ name: 'http', containerPort: 9090 }] }));
    await c.create(R.pods, pod('c', { ports: [{ name: 'other', containerPort: 7000 }] }));
    await c.create(R.pods, pod('d', { ports: [{ name: 'http', containerPort: 8080 }] }));
    await c.setPodStatus('a', { ip: '10.244.1.1', ready: true });
    await c.setPodStatus('b', { ip: '10.244.1.2', ready: true });
    await c.setPodStatus('c', { ip: '10.244.1.3', ready: true });
    await c.setPodStatus('d', { ip: '10.244.1.4', ready: false });

    const slices = await waitSlices(c, 'web', (s) => endpointsByPod(s).size === 4, '4 endpoints');
    assert.equal(slices.length, 3);
    const portsOf = (name: string) => slices.find((s) => endpointsByPod([s]).has(name))!.ports;
    const http = (port: number) => ({ name: 'http', protocol: 'TCP', port, appProtocol: 'http' });
    const metrics = { name: 'metrics', protocol: 'TCP', port: 9100 };
    assert.deepEqual(portsOf('a'), [http(8080), metrics]);
    assert.deepEqual(portsOf('b'), [http(9090), metrics]);
    assert.deepEqual(portsOf('c'), [metrics]);
    // Pods serving the same ports share a slice.
    assert.equal(
      slices.find((s) => endpointsByPod([s]).has('a'))!.metadata.name,
      slices.find((s) => endpointsByPod([s]).has('d'))!.metadata.name,
    );
    for (const s of slices) {
      assert.equal(s.metadata.labels!['service.kubernetes.io/headless'], undefined);
      assert.equal(s.metadata.labels!['kubernetes.io/service-name'], 'web');
    }

    // Legacy Endpoints: one subset per distinct (addresses, ports) grouping.
    const ep = await waitEndpoints(c, 'web', (e) => Array.isArray(e.subsets) && JSON.stringify(e.subsets).includes('10.244.1.4'), 'Endpoints');
    const subsets = ep.subsets as { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports: unknown[] }[];
    const summary = subsets
      .map((s) => ({
        ready: (s.addresses ?? []).map((a) => a.ip),
        notReady: (s.notReadyAddresses ?? []).map((a) => a.ip),
        ports: s.ports,
      }))
      .sort((x, y) => (x.ports[0] as { port: number }).port - (y.ports[0] as { port: number }).port);
    const httpEp = (port: number) => ({ name: 'http', port, protocol: 'TCP', appProtocol: 'http' });
    const metricsEp = { name: 'metrics', port: 9100, protocol: 'TCP' };
    assert.deepEqual(summary, [
      { ready: ['10.244.1.1'], notReady: ['10.244.1.4'], ports: [httpEp(8080)] },
      { ready: ['10.244.1.2'], notReady: [], ports: [httpEp(9090)] },
      { ready: ['10.244.1.1', '10.244.1.2', '10.244.1.3'], notReady: ['10.244.1.4'], ports: [metricsEp] },
    ]);
    assert.equal(ep.metadata.labels, undefined);
  } finally {
    await c.close();
  }
});

test('a Service that selects no pod gets one empty placeholder slice, which its first pod takes over', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('node-1'));
    await c.create(R.services, clusterIPService());
    const [placeholder] = await waitSlices(c, 'web', (s) => s.length === 1, 'placeholder slice');
    // Written as null, as upstream; the store may drop the nulls entirely.
    assert.equal(placeholder!.endpoints ?? null, null);
    assert.equal(placeholder!.ports ?? null, null);
    const ep = await waitEndpoints(c, 'web', () => true, 'empty Endpoints');
    assert.equal(ep.subsets, undefined);

    // The first pod takes over the placeholder rather than adding a second slice.
    await c.create(R.pods, pod('a', { ports: [{ name: 'http', containerPort: 8080 }] }));
    await c.setPodStatus('a', { ip: '10.244.1.1', ready: true });
    const slices = await waitSlices(c, 'web', (s) => endpointsByPod(s).size === 1, 'pod a published');
    assert.equal(slices.length, 1);
    assert.equal(slices[0]!.metadata.name, placeholder!.metadata.name);
  } finally {
    await c.close();
  }
});
