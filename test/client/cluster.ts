// An in-memory cluster for client tests: a real Registry over an in-memory SQLite store,
// bootstrapped like `ordinal up`, with the in-process client over it. (Controller tests, which
// also want informers and events, use test/support/in-memory-cluster.ts.)
import type { SqliteStore, SqliteStoreOptions } from '../../src/store/sqlite-store.js';
import type { Registry } from '../../src/registry/registry.js';
import { InProcessClient } from '../../src/registry/in-process-client.js';
import { mustFindResource } from '../../src/api/resources.js';
import { makeRegistry } from '../registry/generic/make-registry.js';

export interface TestCluster {
  store: SqliteStore;
  registry: Registry;
  client: InProcessClient;
  close(): void;
}

export function memoryCluster(opts: SqliteStoreOptions = {}): TestCluster {
  const { store, registry, close } = makeRegistry(undefined, { ttlSweepMs: 0, ...opts });
  return { store, registry, client: new InProcessClient(registry), close };
}

export const configmaps = mustFindResource('', 'configmaps');
export const pods = mustFindResource('', 'pods');
export const statefulsets = mustFindResource('apps', 'statefulsets');
export const events = mustFindResource('', 'events');
export const namespaces = mustFindResource('', 'namespaces');

export const cm = (name: string, data: Record<string, string> = { k: 'v' }, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});

export const sts = (name: string, replicas = 1, ns = 'default') => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: ns },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] } },
  },
});
