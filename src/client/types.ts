// The one way controllers, the node agent and DNS see a cluster. Two transports implement
// it: in-process (through the registry, beside it in src/registry/) and HTTPS from a
// kubeconfig (src/client/http/), which also works against a real cluster. Failures reject
// with a StatusError carrying the server's code, reason and message.

import type { KObject } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import type { StatusError } from '../api/errors.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  type: WatchEventType;
  object: KObject;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Required in practice: the revision to watch from (informers pass their list's). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WatchHandle {
  stop(): void;
}

export interface WatchCallbacks {
  onEvent(e: WatchEvent): void;
  /**
   * The watch ended: `err` undefined for a normal end (timeout, server closed), a StatusError
   * for an ERROR event or a failed request (code 410 means "re-list").
   */
  onClose(err?: StatusError | Error): void;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'strategic' | 'merge' | 'json';

export interface PatchOptions extends WriteOptions {
  subresource?: 'status' | 'scale';
}

export interface Client {
  get(res: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject>;
  list(res: ResourceInfo, namespace: string | undefined, opts?: ListOptions): Promise<ListResult>;
  watch(res: ResourceInfo, namespace: string | undefined, opts: WatchOptions, cb: WatchCallbacks): WatchHandle;
  create(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts?: WriteOptions): Promise<KObject>;
  /** PUT; obj.metadata.resourceVersion, when set, is a precondition (409 Conflict if stale). */
  update(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts?: WriteOptions): Promise<KObject>;
  updateStatus(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts?: WriteOptions): Promise<KObject>;
  patch(res: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<KObject>;
  /** Resolves to the object when the server returns it (graceful or held deletion), else undefined. */
  delete(res: ResourceInfo, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KObject | undefined>;
  /** POST pods/{name}/binding. */
  bind(namespace: string, podName: string, nodeName: string): Promise<void>;
  /** PUT namespaces/{name}/finalize: sets spec.finalizers (client-go's Namespaces().Finalize). */
  finalizeNamespace(namespace: KObject): Promise<KObject>;
}
