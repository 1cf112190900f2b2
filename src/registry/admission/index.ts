// The admission chain, in upstream's plugin order.

import type { AdmissionPlugin, AdmissionRequest } from './types.js';
import { podHostAccess } from './pod-host-access.js';
import { defaultStorageClass } from './default-storage-class.js';
import { storageObjectInUseProtection } from './storage-object-in-use-protection.js';
import { claimResize } from './claim-resize.js';

export type { AdmissionPlugin, AdmissionRequest } from './types.js';

export const ADMISSION_PLUGINS: readonly AdmissionPlugin[] = [podHostAccess, defaultStorageClass, storageObjectInUseProtection, claimResize];

export function admit(req: AdmissionRequest, plugins: readonly AdmissionPlugin[] = ADMISSION_PLUGINS): void {
  for (const p of plugins) if (p.handles(req.info)) p.admit(req);
}
