// Reading the host's IPv4 routes and finding the ones a new pod/service range would collide with.

import { ip } from './ip-command.js';
import { formatCidr, overlaps, parseCidr, type Cidr } from './ipv4.js';
import { ROUTE_PROTOCOL } from './names.js';
import type { NetworkNames } from './types.js';

/** The fields of `ip -j route` output that we use. */
export interface HostRoute {
  type?: string;
  dst: string;
  dev?: string;
  gateway?: string;
  table?: string;
  protocol?: string;
  metric?: number;
}

export async function readHostRoutes(): Promise<HostRoute[]> {
  const out = await ip(['-j', '-4', 'route', 'show', 'table', 'all']);
  return out.trim() === '' ? [] : (JSON.parse(out) as HostRoute[]);
}

/** `ip -j` prints a route's destination as "default", a bare address (/32) or a CIDR. */
export function routeDestination(r: HostRoute): Cidr | undefined {
  if (r.dst === 'default') return undefined;
  try {
    return parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
  } catch {
    return undefined; // not IPv4 or not parseable: not a route we can collide with
  }
}

/** Ours from a previous run of the same instance: they are re-used, not a conflict. */
export function isOwnRoute(r: HostRoute, names: NetworkNames): boolean {
  if (r.dev === names.bridge) return true;
  return String(r.protocol) === String(ROUTE_PROTOCOL) && r.metric === names.routeMetric;
}

export function describeRoute(r: HostRoute): string {
  const parts = [r.type && r.type !== 'unicast' ? r.type : '', r.dst];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (r.dev) parts.push(`dev ${r.dev}`);
  if (r.protocol) parts.push(`proto ${r.protocol}`);
  if (r.metric !== undefined) parts.push(`metric ${r.metric}`);
  if (r.table) parts.push(`table ${r.table}`);
  return parts.filter(Boolean).join(' ');
}

export interface RouteConflict {
  range: string;
  route: HostRoute;
}

/** The routes (other than the default route and our own) that overlap any of the ranges. */
export function findConflicts(routes: HostRoute[], ranges: Cidr[], names: NetworkNames): RouteConflict[] {
  const conflicts: RouteConflict[] = [];
  for (const route of routes) {
    const dst = routeDestination(route);
    if (!dst || dst.prefix === 0 || isOwnRoute(route, names)) continue;
    for (const range of ranges) {
      if (overlaps(dst, range)) conflicts.push({ range: formatCidr(range), route });
    }
  }
  return conflicts;
}

export function conflictMessage(conflicts: RouteConflict[]): string {
  const lines = conflicts.map((c) => `  ${c.range} overlaps the host route "${describeRoute(c.route)}"`);
  return `refusing pod/service ranges that overlap routes this host already has:\n${lines.join('\n')}\n` +
    'choose other --pod-cidr/--service-cidr ranges (the default route does not count)';
}

/** Our instance's unreachable routes, as `ip route del` arguments. */
export function ownUnreachableRoutes(routes: HostRoute[], names: NetworkNames): HostRoute[] {
  return routes.filter(
    (r) => r.type === 'unreachable' && String(r.protocol) === String(ROUTE_PROTOCOL) && r.metric === names.routeMetric,
  );
}
