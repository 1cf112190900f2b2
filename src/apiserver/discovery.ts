// Discovery documents built from the resource table: the legacy /api, /apis, /api/v1 and
// /apis/<g>/<v> documents, aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), and the
// Accept-header negotiation that picks between them. Pure: the HTTP layer only serializes.

import { RESOURCES, groupVersion, type ResourceInfo, type SubresourceInfo } from '../api/resources.js';

/**
 * Group order of the real apiserver (its group priorities); groups not listed keep table order
 * after these. kubectl's category expansion (`get all`) follows discovery order.
 */
const GROUP_PRIORITY = ['apps', 'events.k8s.io', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io'];

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface GroupVersionKindRef {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKindRef;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKindRef;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: { version: string; resources: APIResourceDiscovery[]; freshness: 'Current' }[];
}

export type AggregatedVersion = 'v2' | 'v2beta1';

function groupsInOrder(resources: readonly ResourceInfo[]): string[] {
  const named = [...new Set(resources.map((r) => r.group).filter((g) => g !== ''))];
  const rank = (g: string) => {
    const i = GROUP_PRIORITY.indexOf(g);
    return i === -1 ? GROUP_PRIORITY.length : i;
  };
  // Array.prototype.sort is stable, so unranked groups keep table order.
  return named.sort((a, b) => rank(a) - rank(b));
}

function versionsOf(group: string, resources: readonly ResourceInfo[]): string[] {
  return [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))];
}

function resourcesOf(group: string, version: string, resources: readonly ResourceInfo[]): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

function sortedSubresources(r: ResourceInfo): SubresourceInfo[] {
  return [...r.subresources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

/** Legacy `GET /api`. */
export function legacyAPIVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: versionsOf('', RESOURCES),
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, resources: readonly ResourceInfo[]) {
  const versions = versionsOf(group, resources).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0]! };
}

/** Legacy `GET /apis`. */
export function apiGroupList(resources: readonly ResourceInfo[] = RESOURCES): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsInOrder(resources).map((g) => apiGroup(g, resources)) };
}

/** `GET /apis/<group>`, or undefined for a group that is not served. */
export function apiGroupDocument(group: string, resources: readonly ResourceInfo[] = RESOURCES): object | undefined {
  if (group === '' || !resources.some((r) => r.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, resources) };
}

function subresourceEntry(parent: ResourceInfo, sub: SubresourceInfo): APIResource {
  const entry: APIResource = { name: `${parent.plural}/${sub.name}`, singularName: '', namespaced: parent.namespaced, kind: sub.kind, verbs: [...sub.verbs] };
  // group/version appear only when the subresource answers with another group's kind (scale).
  if (sub.group !== undefined && sub.group !== parent.group) entry.group = sub.group;
  if (sub.version !== undefined && (sub.version !== parent.version || entry.group !== undefined)) entry.version = sub.version;
  return entry;
}

function resourceEntry(r: ResourceInfo): APIResource {
  const entry: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
  const shortNames = nonEmpty(r.shortNames);
  const categories = nonEmpty(r.categories);
  if (shortNames) entry.shortNames = shortNames;
  if (categories) entry.categories = categories;
  return entry;
}

/** Legacy `GET /api/v1` or `GET /apis/<g>/<v>`; undefined when that group-version is not served. */
export function apiResourceList(group: string, version: string, resources: readonly ResourceInfo[] = RESOURCES): object | undefined {
  const list = resourcesOf(group, version, resources);
  if (list.length === 0) return undefined;
  const entries: APIResource[] = [];
  for (const r of list) {
    entries.push(resourceEntry(r));
    for (const sub of sortedSubresources(r)) entries.push(subresourceEntry(r, sub));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: entries };
}

function responseKind(parent: ResourceInfo, kind: string, group?: string, version?: string): GroupVersionKindRef {
  // Empty group/version mean "the parent's", which is how the real apiserver fills them.
  const sameGroup = group === undefined || group === parent.group;
  return { group: sameGroup ? '' : group, version: sameGroup && (version === undefined || version === parent.version) ? '' : (version ?? ''), kind };
}

function resourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  const d: APIResourceDiscovery = {
    resource: r.plural,
    responseKind: responseKind(r, r.kind),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  const shortNames = nonEmpty(r.shortNames);
  const categories = nonEmpty(r.categories);
  if (shortNames) d.shortNames = shortNames;
  if (categories) d.categories = categories;
  const subs = sortedSubresources(r).map((s) => ({ subresource: s.name, responseKind: responseKind(r, s.kind, s.group, s.version), verbs: [...s.verbs] }));
  if (subs.length > 0) d.subresources = subs;
  return d;
}

function groupDiscovery(group: string, resources: readonly ResourceInfo[]): APIGroupDiscovery {
  const metadata: APIGroupDiscovery['metadata'] = group === '' ? { creationTimestamp: null } : { name: group, creationTimestamp: null };
  const versions = versionsOf(group, resources).map((version) => ({
    version,
    resources: resourcesOf(group, version, resources).map(resourceDiscovery),
    freshness: 'Current' as const,
  }));
  return { metadata, versions };
}

/** Aggregated discovery: `GET /api` (core only) or `GET /apis` (every named group). */
export function aggregatedDiscovery(scope: 'api' | 'apis', version: AggregatedVersion, resources: readonly ResourceInfo[] = RESOURCES): object {
  const groups = scope === 'api' ? [''] : groupsInOrder(resources);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => groupDiscovery(g, resources)),
  };
}

export type DiscoveryRepresentation = { kind: 'aggregated'; version: AggregatedVersion; contentType: string } | { kind: 'legacy'; contentType: 'application/json' };

export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const clause of accept.split(',')) {
    const [rawType, ...rawParams] = clause.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    if (type === '') continue;
    const params = new Map<string, string>();
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq === -1) continue;
      params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    ranges.push({ type, params, q: Number.isFinite(q) ? q : 0 });
  }
  // Highest q first; equal q keeps the client's order (what Go's negotiation does).
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/**
 * Which discovery document to answer `/api` or `/apis` with, from the Accept header. kubectl
 * decides how to parse the body from the response Content-Type, so it must be echoed exactly.
 * Returns undefined when nothing acceptable is offered (the server answers 406).
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryRepresentation | undefined {
  if (accept === undefined || accept.trim() === '') return { kind: 'legacy', contentType: 'application/json' };
  for (const r of parseAccept(accept)) {
    if (!JSON_TYPES.has(r.type)) continue;
    const as = r.params.get('as');
    if (as === undefined) {
      if (r.params.has('g') || r.params.has('v')) continue;
      return { kind: 'legacy', contentType: 'application/json' };
    }
    if (as !== 'APIGroupDiscoveryList' || r.params.get('g') !== 'apidiscovery.k8s.io') continue;
    const v = r.params.get('v');
    if (v === 'v2' || v === 'v2beta1') return { kind: 'aggregated', version: v, contentType: aggregatedContentType(v) };
  }
  return undefined;
}
