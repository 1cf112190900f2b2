// PersistentVolumeClaim rows: capacity and access modes come from status, and only once bound to a volume.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, wide, type Printer } from './columns.js';
import { at, obj, str } from './fields.js';
import { accessModesString, optionalString, quantityString, storageClassOf } from './storage-helpers.js';

const columns = [
  nameColumn(),
  column('Status', 'The phase of the claim (Pending, Bound, Lost).'),
  column('Volume', 'The persistent volume bound to this claim.'),
  column('Capacity', 'The storage the bound volume provides.'),
  column('Access Modes', 'Access modes of the bound volume.'),
  column('StorageClass', 'StorageClass of the claim.'),
  column('VolumeAttributesClass', 'VolumeAttributesClass of the claim.'),
  ageColumn(),
  wide('VolumeMode', 'Whether the volume is a filesystem or a raw block device.'),
];

export const persistentVolumeClaimPrinter: Printer = {
  columns,
  print(pvc: KObject, now: Date) {
    const spec = obj(pvc.spec);
    const status = obj(pvc.status);
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : str(status.phase);
    const volumeName = str(spec.volumeName);
    const bound = volumeName !== '';
    const capacity = bound ? quantityString(at(status, 'capacity', 'storage')) : '';
    const accessModes = bound ? accessModesString(status.accessModes) : '';
    return {
      cells: [
        nameOf(pvc),
        phase,
        volumeName,
        capacity,
        accessModes,
        storageClassOf(pvc),
        optionalString(spec.volumeAttributesClassName, '<unset>'),
        age(pvc, now),
        optionalString(spec.volumeMode, '<unset>'),
      ],
    };
  },
};
