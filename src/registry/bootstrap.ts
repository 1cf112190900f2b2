// What exists from the start in every cluster: the four system namespaces and the
// `kubernetes` Service in `default`, as a fresh kube-apiserver creates them.

import type { ResourceInfo } from '../api/resources.js';
import { findResource } from '../api/resources.js';
import { StatusError } from '../api/errors.js';
import type { Registry } from './registry.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function resource(group: string, plural: string): ResourceInfo {
  const info = findResource(group, 'v1', plural);
  if (!info) throw new Error(`bootstrap: no resource ${plural}`);
  return info;
}

function createIfMissing(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 409)) throw e;
  }
}

/** The default StorageClass, as kind ships one: local directories, bound where the pod lands. */
export const STANDARD_STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'ordinal.dev/local-path',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

export function bootstrap(registry: Registry, opts: { apiServerPort: number }): void {
  const fresh = !registry.store.get('/namespaces/default');
  const namespaces = resource('', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    if (registry.store.get(`/namespaces/${name}`)) continue;
    createIfMissing(() => registry.create(namespaces, undefined, { metadata: { name } }));
  }
  // Only a fresh cluster gets it: a user who deleted it keeps it deleted across restarts.
  if (fresh) createIfMissing(() => registry.create(resource('storage.k8s.io', 'storageclasses'), undefined, STANDARD_STORAGE_CLASS));
  const services = resource('', 'services');
  if (!registry.store.get('/services/default/kubernetes')) {
    createIfMissing(() =>
      registry.create(services, 'default', {
        metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          type: 'ClusterIP',
          clusterIP: firstServiceIP(registry.ctx.serviceCIDR),
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.apiServerPort }],
          sessionAffinity: 'None',
        },
      }),
    );
  }
}

/** The apiserver's own Service takes the first address of the service range. */
export function firstServiceIP(cidr: string): string {
  const [base] = cidr.split('/');
  const octets = base!.split('.').map(Number);
  const n = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]! + 1;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
