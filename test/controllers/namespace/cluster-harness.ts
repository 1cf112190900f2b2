// Controllers of this area running against a real in-memory Registry through the in-process
// client and shared informers: the same path `ordinal up` wires, minus HTTP.

import { StatusError } from '../../../src/api/errors.js';
import type { KObject } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import { SharedInformerFactory } from '../../../src/client/shared-informer-factory.js';
import type { EventRecorderFactory } from '../../../src/client/event-recorder-types.js';
import type { ControllerContext, ControllerStarter, RunningController } from '../../../src/controllers/context.js';
import { InProcessClient } from '../../../src/registry/in-process-client.js';
import { makeRegistry } from '../../registry/generic/make-registry.js';

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

const noEvents: EventRecorderFactory = { recorderFor: () => ({ event: () => undefined }), flush: async () => undefined };

export async function startCluster(starters: ControllerStarter[]): Promise<Cluster> {
  const { registry, close } = makeRegistry();
  const client = new InProcessClient(registry);
  const informers = new SharedInformerFactory(client, { log: () => undefined });
  const ctx: ControllerContext = { client, informers, events: noEvents, now: () => new Date(), options: {} };
  const running: RunningController[] = starters.map((s) => s(ctx));
  informers.start();
  await informers.waitForCacheSync();
  const tryGet = async (res: ResourceInfo, name: string, ns = 'default') => {
    try {
      return await client.get(res, res.namespaced ? ns : undefined, name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  };
  return {
    client,
    ctx,
    tryGet,
    async close() {
      for (const r of running.reverse()) await r.stop();
      informers.stop();
      close();
    },
  };
}

export const namespace = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const configMap = (name: string, finalizers?: string[]): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(finalizers ? { finalizers } : {}) },
  data: { k: 'v' },
});
