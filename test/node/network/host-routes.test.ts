import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflictMessage, findConflicts, type HostRoute } from '../../../src/node/runtime/process/network/host-routes.js';
import { parseCidr } from '../../../src/node/runtime/process/network/ipv4.js';
import { namesFor, ROUTE_PROTOCOL } from '../../../src/node/runtime/process/network/names.js';

const names = namesFor('abc123');
const ranges = [parseCidr('10.244.0.0/16'), parseCidr('10.96.0.0/16')];

test('the default route and our own routes are not conflicts; any other overlapping route is', () => {
  const routes: HostRoute[] = [
    { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
    { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel' },
    { type: 'unreachable', dst: '10.244.0.0/16', protocol: String(ROUTE_PROTOCOL), metric: names.routeMetric },
    { dst: '10.244.0.0/24', dev: names.bridge, protocol: 'kernel' },
    { type: 'local', dst: '10.244.0.1', dev: names.bridge, table: 'local' },
  ];
  assert.deepEqual(findConflicts(routes, ranges, names), []);

  const other: HostRoute = { type: 'unreachable', dst: '10.96.0.0/12', protocol: String(ROUTE_PROTOCOL), metric: names.routeMetric + 1 };
  const host: HostRoute = { dst: '10.244.9.9', dev: 'eth0', table: 'local', type: 'local' };
  const conflicts = findConflicts([...routes, other, host], ranges, names);
  assert.deepEqual(conflicts.map((c) => [c.range, c.route.dst]), [
    ['10.96.0.0/16', '10.96.0.0/12'],
    ['10.244.0.0/16', '10.244.9.9'],
  ]);
  const msg = conflictMessage(conflicts);
  assert.match(msg, /10\.96\.0\.0\/16 overlaps the host route "unreachable 10\.96\.0\.0\/12/);
  assert.match(msg, /local 10\.244\.9\.9 dev eth0/);
});

test('a route of another instance on a different bridge conflicts', () => {
  const routes: HostRoute[] = [{ dst: '10.244.0.0/24', dev: 'ordfff000', protocol: 'kernel' }];
  assert.equal(findConflicts(routes, ranges, names).length, 1);
});
