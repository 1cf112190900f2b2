// Upstream's StorageObjectInUseProtection admission: every new claim and volume carries its
// protection finalizer, so that one in use is never removed under a pod.

import type { AdmissionPlugin } from './types.js';

const FINALIZERS: Record<string, string> = {
  persistentvolumeclaims: 'kubernetes.io/pvc-protection',
  persistentvolumes: 'kubernetes.io/pv-protection',
};

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  handles: (info) => info.group === '' && info.plural in FINALIZERS,
  admit({ operation, info, obj }) {
    if (operation !== 'create') return;
    const finalizer = FINALIZERS[info.plural]!;
    const current = obj.metadata.finalizers ?? [];
    if (!current.includes(finalizer)) obj.metadata.finalizers = [...current, finalizer];
  },
};
