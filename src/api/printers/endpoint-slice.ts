// EndpointSlice rows: address type, up to three ports and three addresses.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, type Printer } from './columns.js';
import { arr, listWithMore, obj, str } from './fields.js';

const MAX_SHOWN = 3;

const columns = [
  nameColumn(),
  column('AddressType', 'The kind of addresses in this slice (IPv4, IPv6, FQDN).'),
  column('Ports', 'Ports exposed by the endpoints in this slice.'),
  column('Endpoints', 'Addresses of the endpoints in this slice.'),
  ageColumn(),
];

function formatPorts(ports: unknown): string {
  const list = arr(ports).map(obj).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
  return listWithMore(list, list.length, MAX_SHOWN);
}

function formatAddresses(endpoints: unknown): string {
  const list = arr(endpoints).flatMap((e) => arr(obj(e).addresses).map(str));
  return listWithMore(list, list.length, MAX_SHOWN);
}

export const endpointSlicePrinter: Printer = {
  columns,
  print(slice: KObject, now: Date) {
    return { cells: [nameOf(slice), str(slice.addressType), formatPorts(slice.ports), formatAddresses(slice.endpoints), age(slice, now)] };
  },
};
