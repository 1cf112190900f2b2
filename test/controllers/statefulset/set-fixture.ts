// The StatefulSet the unit tests start from: as the registry stores it after defaulting
// (set `web`, selector app=nginx, service `nginx`, claim template `www`).

import type { KObject } from '../../../src/api/object.js';

export const NS = 'default';

export interface SetOptions {
  name?: string;
  replicas?: number;
  policy?: 'OrderedReady' | 'Parallel';
  strategy?: 'RollingUpdate' | 'OnDelete';
  partition?: number;
  maxUnavailable?: number | string;
  /** true: a `rollingUpdate` block is written (defaulted sets have one). */
  rollingUpdateBlock?: boolean;
  minReadySeconds?: number;
  start?: number;
  claims?: string[];
  whenScaled?: 'Retain' | 'Delete';
  whenDeleted?: 'Retain' | 'Delete';
  revisionHistoryLimit?: number;
  image?: string;
  serviceName?: string;
}

export function newSet(o: SetOptions = {}): KObject {
  const name = o.name ?? 'web';
  const strategy = o.strategy ?? 'RollingUpdate';
  const updateStrategy: Record<string, unknown> = { type: strategy };
  if (strategy === 'RollingUpdate' && (o.rollingUpdateBlock ?? true)) {
    const ru: Record<string, unknown> = { partition: o.partition ?? 0 };
    if (o.maxUnavailable !== undefined) ru.maxUnavailable = o.maxUnavailable;
    updateStrategy.rollingUpdate = ru;
  }
  const spec: Record<string, unknown> = {
    replicas: o.replicas ?? 3,
    selector: { matchLabels: { app: 'nginx' } },
    serviceName: o.serviceName ?? 'nginx',
    podManagementPolicy: o.policy ?? 'OrderedReady',
    updateStrategy,
    revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: o.whenDeleted ?? 'Retain', whenScaled: o.whenScaled ?? 'Retain' },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [{ name: 'nginx', image: o.image ?? 'nginx:1', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
    volumeClaimTemplates: (o.claims ?? ['www']).map((c) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
    })),
  };
  if (o.minReadySeconds !== undefined) spec.minReadySeconds = o.minReadySeconds;
  if (o.start !== undefined) spec.ordinals = { start: o.start };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NS, uid: `uid-set-${name}`, generation: 1, resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec,
    status: { replicas: 0, availableReplicas: 0 },
  };
}

