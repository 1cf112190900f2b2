// StatefulSets as the API server stores them (defaulted), and the 1.33 reference objects of
// upstream's stateful_set_compatibility_test.go (testdata/compatibility_*_1.33.0.json).

import type { KObject } from '../../../src/api/object.js';

/** The revision data 1.33 wrote for the compatibility set (its hash is c77f6d978). */
export const DATA_1_33 =
  '{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}';

export function compatibilitySet133(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { creationTimestamp: '2025-10-31T18:19:02Z', generation: 1, labels: { sslabel: 'value' }, name: 'test', namespace: 'default', resourceVersion: '2219', uid: 'ec335e25-1045-4216-8634-50cfbe05f3d6' },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'foo' } },
      serviceName: '',
      template: {
        metadata: { annotations: { test: 'value' }, creationTimestamp: null, labels: { app: 'foo' } },
        spec: {
          containers: [{ image: 'test', imagePullPolicy: 'Always', name: 'test', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { annotations: { key: 'value' }, creationTimestamp: null, labels: { key: 'value' }, name: 'test' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        },
      ],
    },
    status: {
      availableReplicas: 1,
      collisionCount: 0,
      currentReplicas: 1,
      currentRevision: 'test-c77f6d978',
      observedGeneration: 1,
      replicas: 1,
      updateRevision: 'test-c77f6d978',
      updatedReplicas: 1,
    },
  };
}

export function compatibilityRevision133(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      creationTimestamp: '2025-10-31T18:19:02Z',
      labels: { app: 'foo', 'controller.kubernetes.io/hash': 'c77f6d978' },
      name: 'test-c77f6d978',
      namespace: 'default',
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: 'test', uid: 'ec335e25-1045-4216-8634-50cfbe05f3d6' }],
      resourceVersion: '2209',
      uid: 'af6e1945-ed14-4d1a-b420-813aa683a0fd',
    },
    data: JSON.parse(DATA_1_33),
    revision: 1,
  };
}

/** A small defaulted StatefulSet `web` running `image`, in namespace `ns`. */
export function webSet(image = 'nginx:1.25', extra: { limit?: number; annotations?: Record<string, string>; status?: Record<string, unknown> } = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'web-uid', annotations: extra.annotations },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      podManagementPolicy: 'OrderedReady',
      revisionHistoryLimit: extra.limit ?? 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: extra.status ?? {},
  };
}

export function withImage(set: KObject, image: string): KObject {
  const copy = structuredClone(set);
  ((copy.spec as any).template.spec.containers[0] as any).image = image;
  return copy;
}

export function withStatus(set: KObject, status: Record<string, unknown>): KObject {
  return { ...structuredClone(set), status: { ...(set.status as object), ...status } };
}

export function podOf(set: KObject, ordinal: number, revision: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${set.metadata.name}-${ordinal}`, namespace: set.metadata.namespace, labels: { app: 'web', 'controller-revision-hash': revision } },
  };
}
