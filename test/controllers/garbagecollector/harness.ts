// A garbage collector running against a real in-memory Registry through the in-process
// client and shared informers: the same path `ordinal up` wires, minus HTTP.

import type { KObject, OwnerReference } from '../../../src/api/object.js';
import { StatusError } from '../../../src/api/errors.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import { SharedInformerFactory } from '../../../src/client/shared-informer-factory.js';
import type { EventRecorderFactory } from '../../../src/client/event-recorder-types.js';
import { InProcessClient } from '../../../src/registry/in-process-client.js';
import { startGarbageCollectorWith, type RunningGarbageCollector } from '../../../src/controllers/garbagecollector/index.js';
import { startPVCProtectionController } from '../../../src/controllers/volume/index.js';
import { makeRegistry } from '../../registry/generic/make-registry.js';
import { waitFor } from '../../support/wait.js';

export const CM = mustFindResource('', 'configmaps');
export const PODS = mustFindResource('', 'pods');
export const PVCS = mustFindResource('', 'persistentvolumeclaims');
export const NODES = mustFindResource('', 'nodes');

export interface RecordedEvent {
  name: string | undefined;
  type: string;
  reason: string;
  message: string;
}

export interface Harness {
  client: InProcessClient;
  gc: RunningGarbageCollector;
  events: RecordedEvent[];
  create(res: ResourceInfo, obj: KObject, ns?: string): Promise<KObject>;
  /** Resolves to the object, or undefined once it is gone. */
  tryGet(res: ResourceInfo, name: string, ns?: string): Promise<KObject | undefined>;
  waitGone(res: ResourceInfo, name: string, ns?: string): Promise<void>;
  close(): Promise<void>;
}

export function configMap(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(owners.length ? { ownerReferences: owners } : {}), ...(finalizers ? { finalizers } : {}) },
    data: { k: 'v' },
  };
}

export function refTo(owner: KObject, opts: { block?: boolean; controller?: boolean } = {}): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? 'ConfigMap',
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    ...(opts.controller ? { controller: true } : {}),
    ...(opts.block ? { blockOwnerDeletion: true } : {}),
  };
}

export async function startHarness(): Promise<Harness> {
  const { registry, close } = makeRegistry();
  const client = new InProcessClient(registry);
  const informers = new SharedInformerFactory(client, { log: () => undefined });
  const events: RecordedEvent[] = [];
  const recorders: EventRecorderFactory = {
    recorderFor: () => ({ event: (obj, type, reason, message) => events.push({ name: obj.metadata.name, type, reason, message }) }),
    flush: async () => undefined,
  };
  const ctx = { client, informers, events: recorders, now: () => new Date(), options: {} };
  const gc = startGarbageCollectorWith(ctx, { workers: 4 });
  // Claims carry kubernetes.io/pvc-protection from admission, as upstream: its controller
  // must run for a deleted claim to go.
  const protection = startPVCProtectionController(ctx);
  informers.start();
  await gc.ready;

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
    gc,
    events,
    create: (res, obj, ns = 'default') => client.create(res, res.namespaced ? ns : undefined, obj),
    tryGet,
    waitGone: async (res, name, ns = 'default') => {
      await waitFor(async () => (await tryGet(res, name, ns)) === undefined, { what: `${res.plural}/${name} to be deleted`, timeoutMs: 10_000, intervalMs: 10 });
    },
    async close() {
      await protection.stop();
      await gc.stop();
      informers.stop();
      close();
    },
  };
}
