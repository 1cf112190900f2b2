// Which printer serves which kind; anything unlisted gets the Name/Age fallback.

import type { Printer } from './columns.js';
import { controllerRevisionPrinter } from './controller-revision.js';
import { endpointSlicePrinter } from './endpoint-slice.js';
import { endpointsPrinter } from './endpoints.js';
import { eventPrinter } from './event.js';
import { nodePrinter } from './node.js';
import { persistentVolumeClaimPrinter } from './persistent-volume-claim.js';
import { persistentVolumePrinter } from './persistent-volume.js';
import { podPrinter } from './pod.js';
import { servicePrinter } from './service.js';
import { configMapPrinter, genericPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './simple-kinds.js';
import { statefulSetPrinter } from './statefulset.js';
import { storageClassPrinter } from './storage-class.js';

const PRINTERS = new Map<string, Printer>([
  ['/Pod', podPrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['/PersistentVolume', persistentVolumePrinter],
  ['/Namespace', namespacePrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  // Upstream prints events.k8s.io events with the core printer: they are the same object.
  ['events.k8s.io/Event', eventPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
]);

export function printerFor(group: string, kind: string): Printer {
  return PRINTERS.get(`${group}/${kind}`) ?? genericPrinter;
}
