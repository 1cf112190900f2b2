// Controllers of this area running against a real in-memory Registry through the in-process
// client and shared informers: the same path `ordinal up` wires, minus HTTP.

import type { KObject } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import type { ControllerContext, ControllerStarter } from '../../../src/controllers/context.js';
import type { InProcessClient } from '../../../src/registry/in-process-client.js';
import { inMemoryCluster } from '../../support/in-memory-cluster.js';

export const R = {
  namespaces: mustFindResource('', 'namespaces'),
  configmaps: mustFindResource('', 'configmaps'),
  pods: mustFindResource('', 'pods'),
  pvcs: mustFindResource('', 'persistentvolumeclaims'),
  serviceaccounts: mustFindResource('', 'serviceaccounts'),
  statefulsets: mustFindResource('apps', 'statefulsets'),
  revisions: mustFindResource('apps', 'controllerrevisions'),
};

export interface Cluster {
  client: InProcessClient;
  ctx: ControllerContext;
  /** Resolves to the object, or undefined once it is gone. */
  tryGet(res: ResourceInfo, name: string, ns?: string): Promise<KObject | undefined>;
  close(): Promise<void>;
}

export async function startCluster(starters: ControllerStarter[]): Promise<Cluster> {
  const cluster = inMemoryCluster();
  const ctx = cluster.ctx();
  for (const start of starters) cluster.run(start(ctx));
  await cluster.start();
  return { client: cluster.client, ctx, tryGet: cluster.tryGet, close: cluster.close };
}

export const namespace = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const configMap = (name: string, finalizers?: string[]): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(finalizers ? { finalizers } : {}) },
  data: { k: 'v' },
});
