// The `default/kubernetes` Service's endpoints point at the API server itself, as the real
// apiserver's endpoint reconciler keeps them: the address where pods reach it (the bridge
// address) and its port.

import type { KObject } from '../api/object.js';
import { mustFindResource } from '../api/resources.js';
import { StatusError } from '../api/errors.js';
import type { Registry } from './registry.js';

const ENDPOINTS = mustFindResource('', 'endpoints');
const SLICES = mustFindResource('discovery.k8s.io', 'endpointslices');

function upsert(registry: Registry, res: typeof ENDPOINTS, desired: KObject): void {
  try {
    const current = registry.get(res, 'default', 'kubernetes');
    registry.update(res, 'default', 'kubernetes', { ...desired, metadata: { ...current.metadata, ...desired.metadata, resourceVersion: current.metadata.resourceVersion } });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
    registry.create(res, 'default', desired);
  }
}

export function reconcileKubernetesEndpoints(registry: Registry, address: string, port: number): void {
  const ports = [{ name: 'https', port, protocol: 'TCP' }];
  upsert(registry, ENDPOINTS, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    // The apiserver's own Endpoints are not mirrored into slices: it writes the slice itself.
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports }],
  });
  upsert(registry, SLICES, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports,
  });
}
