// Upstream's PersistentVolumeClaimResize admission: a claim may grow only when its class
// allows expansion.

import { StatusError } from '../../api/errors.js';
import { compareQuantityStrings } from '../../api/quantity.js';
import type { KObject } from '../../api/object.js';
import type { AdmissionPlugin } from './types.js';

function requested(claim: KObject): string | undefined {
  return (claim.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage;
}

export const claimResize: AdmissionPlugin = {
  name: 'PersistentVolumeClaimResize',
  handles: (info) => info.group === '' && info.plural === 'persistentvolumeclaims',
  admit({ operation, obj, old, store }) {
    if (operation !== 'update' || !old) return;
    const now = requested(obj);
    const before = requested(old);
    if (now === undefined || before === undefined || compareQuantityStrings(now, before) <= 0) return;
    const className = (old.spec as { storageClassName?: string } | undefined)?.storageClassName;
    const cls = className ? store.get(`/storage.k8s.io/storageclasses/${className}`)?.value : undefined;
    if ((cls as { allowVolumeExpansion?: boolean } | undefined)?.allowVolumeExpansion === true) return;
    const name = obj.metadata.name ?? '';
    throw new StatusError(
      403,
      'Forbidden',
      `persistentvolumeclaims "${name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
      { name, kind: 'persistentvolumeclaims' },
    );
  },
};
