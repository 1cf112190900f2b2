// Small object builders for the plumbing tests (set `foo`, selector app=foo).
import type { KObject } from '../../../../src/api/object.js';
import { objectKey } from '../../../../src/client/informer-types.js';
import type { SetCache } from '../../../../src/controllers/statefulset/pod-event-keys.js';

export function set(name: string, opts: { uid?: string; labels?: Record<string, string>; minReadySeconds?: number; deleting?: boolean } = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', uid: opts.uid ?? `uid-${name}`, ...(opts.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { selector: { matchLabels: opts.labels ?? { app: 'foo' } }, minReadySeconds: opts.minReadySeconds ?? 0 },
  };
}

export function ownerRef(s: KObject, controller = true) {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: s.metadata.name!, uid: s.metadata.uid!, controller, blockOwnerDeletion: true };
}

export function pod(name: string, opts: { owner?: KObject; labels?: Record<string, string> | null; rv?: string; ready?: boolean; deleting?: boolean } = {}): KObject {
  const labels = opts.labels === null ? undefined : (opts.labels ?? { app: 'foo' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-pod-${name}`,
      resourceVersion: opts.rv ?? '1',
      ...(labels ? { labels } : {}),
      ...(opts.owner ? { ownerReferences: [ownerRef(opts.owner)] } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }] },
  };
}

export function cache(...sets: KObject[]): SetCache {
  const byKey = new Map(sets.map((s) => [objectKey(s), s]));
  return {
    get: (k) => byKey.get(k),
    listNamespace: (ns) => sets.filter((s) => s.metadata.namespace === ns),
  };
}
