// How each served kind's lists merge under a strategic merge patch: the `patchStrategy` /
// `patchMergeKey` struct tags of the upstream Go API types (core/v1, apps/v1, meta/v1, …),
// written down as a schema tree. Only the paths that lead to a non-atomic list (or a map with a
// non-default strategy) are spelled out: every other list is atomic and every other map merges.

export type ListStrategy = 'merge' | 'replace' | 'merge-primitive';

export interface ListPatchMeta {
  strategy: ListStrategy;
  /** The element field that identifies an element (only for `merge` lists of objects). */
  mergeKey?: string;
  /** Upstream's `retainKeys` strategy: a client-side-apply patch carries `$retainKeys` for it. */
  retainKeys?: boolean;
}

interface StructNode {
  t: 'struct';
  fields: Record<string, Node>;
  /** `patchStrategy:"replace"` on the field holding this map/struct. */
  replace?: boolean;
  retainKeys?: boolean;
}
interface MapNode {
  t: 'map';
  values: Node;
}
interface ListNode {
  t: 'list';
  meta: ListPatchMeta;
  elem?: StructNode;
}
type Node = StructNode | MapNode | ListNode;

const struct = (fields: Record<string, Node>): StructNode => ({ t: 'struct', fields });
const mergeList = (mergeKey: string, elem?: StructNode, retainKeys = false): ListNode => ({
  t: 'list',
  meta: retainKeys ? { strategy: 'merge', mergeKey, retainKeys } : { strategy: 'merge', mergeKey },
  elem,
});
const primitiveSet: ListNode = { t: 'list', meta: { strategy: 'merge-primitive' } };
const ATOMIC: ListPatchMeta = { strategy: 'replace' };

// meta/v1
const objectMeta = struct({ ownerReferences: mergeList('uid'), finalizers: primitiveSet });
const conditions = mergeList('type');
const withMeta = (fields: Record<string, Node> = {}): StructNode => struct({ metadata: objectMeta, ...fields });

// core/v1 Container and EphemeralContainer (EphemeralContainerCommon has the same tags)
const container = struct({
  ports: mergeList('containerPort'),
  env: mergeList('name'),
  volumeMounts: mergeList('mountPath'),
  volumeDevices: mergeList('devicePath'),
});

const podSpec = struct({
  volumes: mergeList('name', undefined, true),
  initContainers: mergeList('name', container),
  containers: mergeList('name', container),
  ephemeralContainers: mergeList('name', container),
  imagePullSecrets: mergeList('name'),
  hostAliases: mergeList('ip'),
  topologySpreadConstraints: mergeList('topologyKey'),
  schedulingGates: mergeList('name'),
  resourceClaims: mergeList('name', undefined, true),
});

const podStatus = struct({
  conditions,
  podIPs: mergeList('ip'),
  hostIPs: mergeList('ip'),
  resourceClaimStatuses: mergeList('name', undefined, true),
});

const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec });
const statusWithConditions = struct({ conditions });

const KINDS: Record<string, StructNode> = {
  Pod: withMeta({ spec: podSpec, status: podStatus }),
  PodTemplate: withMeta({ template: podTemplateSpec }),
  StatefulSet: withMeta({ spec: struct({ template: podTemplateSpec }), status: statusWithConditions }),
  Service: withMeta({ spec: struct({ ports: mergeList('port') }), status: statusWithConditions }),
  PersistentVolumeClaim: withMeta({ status: statusWithConditions }),
  Node: withMeta({
    spec: struct({ podCIDRs: primitiveSet }),
    status: struct({ conditions, addresses: mergeList('type') }),
  }),
  Namespace: withMeta({ status: statusWithConditions }),
  ServiceAccount: withMeta({ secrets: mergeList('name') }),
  // Everything below only has ObjectMeta's merge lists; their own lists are atomic
  // (Endpoints.subsets, EndpointSlice.endpoints/ports, StorageClass.mountOptions, …) and
  // their maps (ConfigMap/Secret data, Lease spec, ControllerRevision data) merge.
  PersistentVolume: withMeta(),
  Endpoints: withMeta(),
  EndpointSlice: withMeta(),
  ConfigMap: withMeta(),
  Secret: withMeta(),
  StorageClass: withMeta(),
  Event: withMeta(),
  Lease: withMeta(),
  ControllerRevision: withMeta(),
  Binding: withMeta(),
  Scale: withMeta(),
};

/** A position in a kind's schema. Unknown positions are generic: maps merge, lists are atomic. */
export class PatchMeta {
  constructor(private readonly node?: StructNode | MapNode) {}

  /** `patchStrategy:"replace"` on the map/struct at this position: the patch value replaces it. */
  get replace(): boolean {
    return this.node?.t === 'struct' && this.node.replace === true;
  }

  get retainKeys(): boolean {
    return this.node?.t === 'struct' && this.node.retainKeys === true;
  }

  private lookup(field: string): Node | undefined {
    if (!this.node) return undefined;
    return this.node.t === 'map' ? this.node.values : this.node.fields[field];
  }

  /** The meta of the map/struct held by `field`. */
  child(field: string): PatchMeta {
    const n = this.lookup(field);
    return new PatchMeta(n && n.t !== 'list' ? n : undefined);
  }

  /** How the list held by `field` merges. */
  list(field: string): ListPatchMeta {
    const n = this.lookup(field);
    return n?.t === 'list' ? n.meta : ATOMIC;
  }

  /** The meta of each element of the list held by `field`. */
  element(field: string): PatchMeta {
    const n = this.lookup(field);
    return new PatchMeta(n?.t === 'list' ? n.elem : undefined);
  }
}

/** The root of `kind`'s patch schema; an unknown kind still gets ObjectMeta's merge lists. */
export function patchMetaFor(kind: string): PatchMeta {
  return new PatchMeta(KINDS[kind] ?? withMeta());
}

/** The kinds with a schema of their own (for tests and diagnostics). */
export function kindsWithPatchMeta(): string[] {
  return Object.keys(KINDS);
}
