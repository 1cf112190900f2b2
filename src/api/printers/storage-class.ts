// StorageClass rows: the default class is marked in the name cell.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, type Printer } from './columns.js';
import { isDefaultStorageClass } from './storage-helpers.js';

const columns = [
  nameColumn(),
  column('Provisioner', 'The volume plugin that provisions volumes of this class.'),
  column('ReclaimPolicy', 'Reclaim policy given to volumes provisioned for this class.'),
  column('VolumeBindingMode', 'When claims of this class are bound and provisioned.'),
  column('AllowVolumeExpansion', 'Whether claims of this class may be resized.'),
  ageColumn(),
];

export const storageClassPrinter: Printer = {
  columns,
  print(sc: KObject, now: Date) {
    const name = isDefaultStorageClass(sc) ? `${nameOf(sc)} (default)` : nameOf(sc);
    const reclaim = typeof sc.reclaimPolicy === 'string' ? sc.reclaimPolicy : 'Delete';
    const binding = typeof sc.volumeBindingMode === 'string' ? sc.volumeBindingMode : 'Immediate';
    const expansion = sc.allowVolumeExpansion === true;
    return { cells: [name, typeof sc.provisioner === 'string' ? sc.provisioner : '', reclaim, binding, expansion, age(sc, now)] };
  },
};
