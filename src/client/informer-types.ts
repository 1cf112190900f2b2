// Shared informers, client-go style: one list+watch per resource (and scope), a local cache
// every controller reads, and handlers that turn changes into work-queue keys.

import type { KObject } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';

/** An object deleted while the watch was down: only its last known state is available. */
export interface DeletedFinalStateUnknown {
  key: string;
  obj: KObject;
}

export interface EventHandlers {
  onAdd?(obj: KObject): void;
  onUpdate?(oldObj: KObject, newObj: KObject): void;
  onDelete?(obj: KObject | DeletedFinalStateUnknown): void;
}

/** The informer's cache. Objects are read-only: clone before changing one. */
export interface Lister {
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  get(key: string): KObject | undefined;
  list(): KObject[];
  listNamespace(namespace: string): KObject[];
  /** Objects whose value for the named index equals `value`. */
  byIndex(indexName: string, value: string): KObject[];
}

export type IndexFunc = (obj: KObject) => string[];

export interface Informer {
  readonly resource: ResourceInfo;
  readonly lister: Lister;
  addEventHandler(h: EventHandlers): void;
  addIndexer(name: string, fn: IndexFunc): void;
  hasSynced(): boolean;
  /** The resourceVersion of the newest event the cache has applied. */
  lastSyncResourceVersion(): string;
}

export interface InformerFactory {
  /** The shared informer for a resource across all namespaces (created on first use). */
  forResource(res: ResourceInfo): Informer;
  /** Starts every informer created so far (and later ones as they are created). */
  start(): void;
  /** Resolves once every started informer has listed. */
  waitForCacheSync(): Promise<void>;
  stop(): void;
}

export function objectKey(obj: KObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name ?? '';
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
