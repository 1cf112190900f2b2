// REST paths and query strings of the Kubernetes API, from the resource table's entries:
// /api/v1/namespaces/{ns}/pods/{name}/status, /apis/apps/v1/statefulsets, ...

import type { ResourceInfo } from '../../api/resources.js';
import type { ListOptions, WatchOptions, WriteOptions } from '../types.js';

/** The path of a collection (no name) or an object, optionally a subresource of it. */
export function resourcePath(res: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  let path = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  // A namespaced resource without a namespace is the all-namespaces collection.
  if (res.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${res.plural}`;
  if (name !== undefined) {
    if (!name) throw new Error(`resource name may not be empty (${res.plural})`);
    path += `/${encodeURIComponent(name)}`;
    if (subresource) path += `/${subresource}`;
  }
  return path;
}

export function listQuery(opts: ListOptions = {}): URLSearchParams {
  const q = new URLSearchParams();
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  if (opts.limit !== undefined && opts.limit > 0) q.set('limit', String(opts.limit));
  if (opts.continue) q.set('continue', opts.continue);
  if (opts.resourceVersion !== undefined) q.set('resourceVersion', opts.resourceVersion);
  return q;
}

export function watchQuery(opts: WatchOptions): URLSearchParams {
  const q = new URLSearchParams({ watch: 'true' });
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  if (opts.resourceVersion !== undefined) q.set('resourceVersion', opts.resourceVersion);
  if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
  if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) q.set('timeoutSeconds', String(Math.floor(opts.timeoutSeconds)));
  return q;
}

export function writeQuery(opts: WriteOptions = {}): URLSearchParams | undefined {
  const q = new URLSearchParams();
  if (opts.dryRun) q.set('dryRun', 'All');
  if (opts.fieldManager) q.set('fieldManager', opts.fieldManager);
  return q.size > 0 ? q : undefined;
}
