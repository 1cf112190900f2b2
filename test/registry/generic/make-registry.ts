// A real Registry on an in-memory SQLite store, bootstrapped like `ordinal up`.

import { SqliteStore, type SqliteStoreOptions } from '../../../src/store/sqlite-store.js';
import { Registry } from '../../../src/registry/registry.js';
import { codecFor, strategyFor } from '../../../src/registry/kinds/index.js';
import { bootstrap } from '../../../src/registry/bootstrap.js';
import { mustFindResource } from '../../../src/api/resources.js';

export const R = {
  pods: mustFindResource('', 'pods'),
  configmaps: mustFindResource('', 'configmaps'),
  namespaces: mustFindResource('', 'namespaces'),
  statefulsets: mustFindResource('apps', 'statefulsets'),
  services: mustFindResource('', 'services'),
};

export function makeRegistry(
  now: () => Date = () => new Date(),
  storeOptions: SqliteStoreOptions = {},
): { store: SqliteStore; registry: Registry; close(): void } {
  const store = new SqliteStore(':memory:', storeOptions);
  const registry = new Registry(store, { strategyFor, codecFor, serviceCIDR: '10.96.0.0/16', eventTTLSeconds: 3600, now });
  bootstrap(registry, { apiServerPort: 6443 });
  return { store, registry, close: () => store.close() };
}

export const configMap = (name: string, data: Record<string, string> = { k: 'v' }, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

export const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox:1.37' }] },
});

export const statefulSet = (name: string, replicas = 1, image = 'nginx:1') => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
  },
});
