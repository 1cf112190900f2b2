// ControllerRevision rows: the owning controller as `kind.group/name` and the revision number.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, type Printer } from './columns.js';
import { num } from './fields.js';

const columns = [
  nameColumn(),
  column('Controller', 'The controller that owns this revision.'),
  column('Revision', 'The revision number of the captured state.'),
  ageColumn(),
];

function controllerName(o: KObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  if (!ref.kind) return ref.name;
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns,
  print(cr: KObject, now: Date) {
    return { cells: [nameOf(cr), controllerName(cr), num(cr.revision), age(cr, now)] };
  },
};
