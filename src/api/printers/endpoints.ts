// Endpoints rows: up to three ip:port pairs, then "+ N more...".

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, type Printer } from './columns.js';
import { arr, num, obj, str } from './fields.js';

const MAX_SHOWN = 3;

const columns = [nameColumn(), column('Endpoints', 'Addresses and ports the service\'s traffic goes to.'), ageColumn()];

function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function formatEndpoints(ep: KObject): string {
  const subsets = arr(ep.subsets).map(obj);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses).map(obj);
    const ports = arr(ss.ports).map(obj);
    if (ports.length === 0) {
      // Headless services may have no ports: list bare addresses.
      count += addresses.length;
      for (const a of addresses) if (list.length < MAX_SHOWN) list.push(str(a.ip));
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < MAX_SHOWN) list.push(joinHostPort(str(a.ip), num(p.port)));
    }
  }
  const joined = list.join(',');
  return count > MAX_SHOWN ? `${joined} + ${count - MAX_SHOWN} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns,
  print(ep: KObject, now: Date) {
    return { cells: [nameOf(ep), formatEndpoints(ep), age(ep, now)] };
  },
};
