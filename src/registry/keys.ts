// Storage keys: `${storagePrefix}/${namespace}/${name}` for namespaced kinds,
// `${storagePrefix}/${name}` for cluster-scoped ones.

import { storagePrefix, type ResourceInfo } from '../api/resources.js';

export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  const base = storagePrefix(info);
  return info.namespaced ? `${base}/${namespace}/${name}` : `${base}/${name}`;
}

/** The prefix under which a list or watch looks: one namespace, or all of them. */
export function listPrefix(info: ResourceInfo, namespace: string | undefined): string {
  const base = storagePrefix(info);
  return info.namespaced && namespace ? `${base}/${namespace}/` : `${base}/`;
}
