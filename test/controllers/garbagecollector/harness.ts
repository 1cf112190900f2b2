// A garbage collector running against a real in-memory Registry through the in-process
// client and shared informers: the same path `ordinal up` wires, minus HTTP.

import type { KObject, OwnerReference } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import type { InProcessClient } from '../../../src/registry/in-process-client.js';
import { startGarbageCollectorWith, type RunningGarbageCollector } from '../../../src/controllers/garbagecollector/index.js';
import { startPVCProtectionController } from '../../../src/controllers/volume/index.js';
import { inMemoryCluster, type RecordedEvent } from '../../support/in-memory-cluster.js';

export const CM = mustFindResource('', 'configmaps');
export const PODS = mustFindResource('', 'pods');
export const PVCS = mustFindResource('', 'persistentvolumeclaims');
export const NODES = mustFindResource('', 'nodes');

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
  const cluster = inMemoryCluster();
  const ctx = cluster.ctx();
  const gc = cluster.run(startGarbageCollectorWith(ctx, { workers: 4 }));
  // Claims carry kubernetes.io/pvc-protection from admission, as upstream: its controller
  // must run for a deleted claim to go.
  cluster.run(startPVCProtectionController(ctx));
  await cluster.start(gc.ready);
  const { client, events, create, tryGet, waitGone, close } = cluster;
  return { client, gc, events, create, tryGet, waitGone, close };
}
