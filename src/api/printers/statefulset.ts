// StatefulSet rows: READY is status.readyReplicas over spec.replicas.

import type { KObject } from '../object.js';
import { age, ageColumn, column, containerCells, nameColumn, nameOf, wide, type Printer } from './columns.js';
import { at, num, obj } from './fields.js';

const columns = [
  nameColumn(),
  column('Ready', 'Ready pods out of the desired replicas.'),
  ageColumn(),
  wide('Containers', 'Container names of the pod template.'),
  wide('Images', 'Container images of the pod template.'),
];

export const statefulSetPrinter: Printer = {
  columns,
  print(sts: KObject, now: Date) {
    const spec = obj(sts.spec);
    // spec.replicas defaults to 1; the internal type upstream prints always has it set.
    const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const ready = num(obj(sts.status).readyReplicas);
    const [names, images] = containerCells(at(spec, 'template', 'spec', 'containers'));
    return { cells: [nameOf(sts), `${ready}/${desired}`, age(sts, now), names, images] };
  },
};
