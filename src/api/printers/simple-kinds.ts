// Printers whose cells are read straight off one field: Namespace, ConfigMap, Secret,
// ServiceAccount, Lease, and the Name/Age fallback for every other kind.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, type Printer } from './columns.js';
import { arr, at, mapSize, obj, str } from './fields.js';

export const namespacePrinter: Printer = {
  columns: [nameColumn(), column('Status', 'The phase of the namespace (Active, Terminating).'), ageColumn()],
  print: (ns: KObject, now: Date) => ({ cells: [nameOf(ns), str(obj(ns.status).phase), age(ns, now)] }),
};

export const configMapPrinter: Printer = {
  columns: [nameColumn(), column('Data', 'Number of keys in data and binaryData.'), ageColumn()],
  print: (cm: KObject, now: Date) => ({ cells: [nameOf(cm), mapSize(cm.data) + mapSize(cm.binaryData), age(cm, now)] }),
};

export const secretPrinter: Printer = {
  columns: [nameColumn(), column('Type', 'The type of the secret.'), column('Data', 'Number of keys in data.'), ageColumn()],
  print: (s: KObject, now: Date) => ({ cells: [nameOf(s), str(s.type), mapSize(s.data), age(s, now)] }),
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn(), column('Secrets', 'Number of secrets listed by the service account.'), ageColumn()],
  print: (sa: KObject, now: Date) => ({ cells: [nameOf(sa), arr(sa.secrets).length, age(sa, now)] }),
};

export const leasePrinter: Printer = {
  columns: [nameColumn(), column('Holder', 'Identity of the current holder of the lease.'), ageColumn()],
  print: (l: KObject, now: Date) => ({ cells: [nameOf(l), str(at(l, 'spec', 'holderIdentity')), age(l, now)] }),
};

export const genericPrinter: Printer = {
  columns: [nameColumn(), ageColumn()],
  print: (o: KObject, now: Date) => ({ cells: [nameOf(o), age(o, now)] }),
};
