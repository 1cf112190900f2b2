// PersistentVolume rows: the claim as namespace/name and the reclaim policy.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, wide, type Printer } from './columns.js';
import { at, obj, str } from './fields.js';
import { accessModesString, optionalString, quantityString, storageClassOf } from './storage-helpers.js';

const columns = [
  nameColumn(),
  column('Capacity', 'The storage the volume provides.'),
  column('Access Modes', 'Ways the volume can be mounted.'),
  column('Reclaim Policy', 'What happens to the volume when its claim is released.'),
  column('Status', 'The phase of the volume (Available, Bound, Released, Failed).'),
  column('Claim', 'The claim bound to this volume, as namespace/name.'),
  column('StorageClass', 'StorageClass of the volume.'),
  column('VolumeAttributesClass', 'VolumeAttributesClass of the volume.'),
  column('Reason', 'Why the volume is in its current phase, if known.'),
  ageColumn(),
  wide('VolumeMode', 'Whether the volume is a filesystem or a raw block device.'),
];

export const persistentVolumePrinter: Printer = {
  columns,
  print(pv: KObject, now: Date) {
    const spec = obj(pv.spec);
    const status = obj(pv.status);
    const claimRef = spec.claimRef === undefined || spec.claimRef === null ? undefined : obj(spec.claimRef);
    const claim = claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '';
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : str(status.phase);
    return {
      cells: [
        nameOf(pv),
        quantityString(at(spec, 'capacity', 'storage')),
        accessModesString(spec.accessModes),
        str(spec.persistentVolumeReclaimPolicy),
        phase,
        claim,
        storageClassOf(pv),
        optionalString(spec.volumeAttributesClassName, '<unset>'),
        str(status.reason),
        age(pv, now),
        optionalString(spec.volumeMode, '<unset>'),
      ],
    };
  },
};
