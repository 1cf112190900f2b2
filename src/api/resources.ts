// The table of every resource ordinal serves: the one place that says what a kind is
// called, where it lives, and which subresources it has. Discovery, routing, the
// registry, OpenAPI and the printers all read it.

export interface SubresourceInfo {
  name: string; // "status", "scale", "binding", "log", ...
  /** Kind returned; group/version empty means "same as the parent". */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string; // "" for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];
const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: STATUS_VERBS });

function r(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: { namespaced?: boolean; shortNames?: string[]; categories?: string[]; verbs?: string[]; subresources?: SubresourceInfo[]; singular?: string } = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: opts.singular ?? kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? ALL_VERBS,
    subresources: opts.subresources ?? [],
  };
}

/** In the order the real apiserver lists them in discovery (kubectl `get all` follows it). */
export const RESOURCES: readonly ResourceInfo[] = [
  r('', 'v1', 'Binding', 'bindings', { verbs: ['create'] }),
  r('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  r('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  r('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
  }),
  r('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: [status('Node')] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], subresources: [status('PersistentVolumeClaim')] }),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', { namespaced: false, shortNames: ['pv'], subresources: [status('PersistentVolume')] }),
  r('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      status('Pod'),
    ],
  }),
  r('', 'v1', 'Secret', 'secrets'),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  r('', 'v1', 'Service', 'services', { shortNames: ['svc'], categories: ['all'], subresources: [status('Service')] }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS }, status('StatefulSet')],
  }),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  r('events.k8s.io', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { namespaced: false, shortNames: ['sc'] }),
];

export function groupVersion(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** The resources a client can list and watch (bindings are create-only). */
export const STORED_RESOURCES = RESOURCES.filter((x) => x.verbs.includes('list'));

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return RESOURCES.find((x) => x.group === group && x.version === version && x.kind === kind);
}

/** Group-versions in discovery order. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const x of RESOURCES) seen.set(groupVersion(x), { group: x.group, version: x.version });
  return [...seen.values()];
}

/**
 * Where a resource's objects are stored. core/v1 events and events.k8s.io/v1 events are one
 * object seen through two APIs, as upstream, so both map to one storage prefix.
 */
export function storagePrefix(info: ResourceInfo): string {
  if (info.plural === 'events') return '/events';
  return info.group ? `/${info.group}/${info.plural}` : `/${info.plural}`;
}

/** A resource the caller knows is served; throws otherwise (a programming error). */
export function mustFindResource(group: string, plural: string, version = 'v1'): ResourceInfo {
  const info = findResource(group, version, plural);
  if (!info) throw new Error(`no resource ${group ? `${plural}.${group}` : plural}/${version}`);
  return info;
}
