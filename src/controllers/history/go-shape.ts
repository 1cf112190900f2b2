// The shape a value takes after a Go round trip (json.Unmarshal into the typed struct, then
// json.Marshal): unknown fields vanish, `omitempty` drops zero values of non-pointer fields,
// pointer fields keep theirs (`runAsUser: 0`, `hostPath.type: ""`), fields without
// `omitempty` and non-pointer structs are always written (`resources: {}`,
// `creationTimestamp: null`, `divisor: "0"`).
//
// The OpenAPI schema gives the type graph and the `required` (no omitempty) fields; it does
// not say which fields are pointers, so the table below records, for the types a pod
// template reaches, the Go facts the schema cannot (read off k8s.io/api/core/v1/types.go,
// release 1.33). Defaults: a string field is a non-pointer (drop ""), a bool or integer field
// is a pointer (keep false/0), a struct-typed field is a pointer (keep `{}` when present).

import { isPlainObject } from '../../api/object.js';
import { resolveSchema, type Schema } from '../../api/schema/definitions.js';

interface GoFacts {
  /** String fields that are pointers: "" is kept. */
  ptrStrings?: string[];
  /** Bool fields that are plain `bool,omitempty`: false is dropped. */
  valBools?: string[];
  /** Integer fields that are plain `int32/int64,omitempty`: 0 is dropped. */
  valInts?: string[];
  /** Fields always written: no omitempty in the tag, or a non-pointer struct, Time or Quantity. */
  always?: string[];
}

const READ_ONLY = { valBools: ['readOnly'] };

const CORE: Record<string, GoFacts> = {
  PodTemplateSpec: { always: ['metadata', 'spec'] },
  PodSpec: { ptrStrings: ['runtimeClassName', 'preemptionPolicy'], valBools: ['hostNetwork', 'hostPID', 'hostIPC'] },
  Container: { ptrStrings: ['restartPolicy'], valBools: ['stdin', 'stdinOnce', 'tty'], always: ['resources'] },
  EphemeralContainer: { ptrStrings: ['restartPolicy'], valBools: ['stdin', 'stdinOnce', 'tty'], always: ['resources'] },
  ContainerPort: { valInts: ['hostPort'] },
  Probe: { valInts: ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] },
  GRPCAction: { ptrStrings: ['service'], always: ['service'] },
  Lifecycle: { ptrStrings: ['stopSignal'] },
  ResourceFieldSelector: { always: ['divisor'] },
  VolumeMount: { ptrStrings: ['mountPropagation', 'recursiveReadOnly'], valBools: ['readOnly'] },
  SecurityContext: { ptrStrings: ['procMount'] },
  PodSecurityContext: { ptrStrings: ['fsGroupChangePolicy', 'supplementalGroupsPolicy', 'seLinuxChangePolicy'] },
  WindowsSecurityContextOptions: { ptrStrings: ['gmsaCredentialSpecName', 'gmsaCredentialSpec', 'runAsUserName'] },
  SeccompProfile: { ptrStrings: ['localhostProfile'] },
  AppArmorProfile: { ptrStrings: ['localhostProfile'] },
  PodDNSConfigOption: { ptrStrings: ['value'] },
  HostAlias: { always: ['ip'] },
  TopologySpreadConstraint: { ptrStrings: ['nodeAffinityPolicy', 'nodeTaintsPolicy'] },
  PodResourceClaim: { ptrStrings: ['resourceClaimName', 'resourceClaimTemplateName'] },
  PreferredSchedulingTerm: { always: ['preference'] },
  WeightedPodAffinityTerm: { always: ['podAffinityTerm'] },
  HostPathVolumeSource: { ptrStrings: ['type'] },
  ProjectedVolumeSource: { always: ['sources'] },
  ClusterTrustBundleProjection: { ptrStrings: ['name', 'signerName'] },
  CSIVolumeSource: { ptrStrings: ['fsType'] },
  AzureDiskVolumeSource: { ptrStrings: ['cachingMode', 'fsType', 'kind'] },
  ISCSIVolumeSource: { ptrStrings: ['initiatorName'], valBools: ['readOnly', 'chapAuthDiscovery', 'chapAuthSession'] },
  ScaleIOVolumeSource: { valBools: ['readOnly', 'sslEnabled'] },
  GCEPersistentDiskVolumeSource: { valBools: ['readOnly'], valInts: ['partition'] },
  AWSElasticBlockStoreVolumeSource: { valBools: ['readOnly'], valInts: ['partition'] },
  PersistentVolumeClaimVolumeSource: READ_ONLY,
  NFSVolumeSource: READ_ONLY,
  GlusterfsVolumeSource: READ_ONLY,
  RBDVolumeSource: READ_ONLY,
  FlexVolumeSource: READ_ONLY,
  CinderVolumeSource: READ_ONLY,
  CephFSVolumeSource: READ_ONLY,
  FCVolumeSource: READ_ONLY,
  AzureFileVolumeSource: READ_ONLY,
  QuobyteVolumeSource: READ_ONLY,
  PortworxVolumeSource: READ_ONLY,
  StorageOSVolumeSource: READ_ONLY,
  PersistentVolumeClaimTemplate: { always: ['metadata', 'spec'] },
  PersistentVolumeClaimSpec: { ptrStrings: ['storageClassName', 'volumeMode', 'volumeAttributesClassName'], always: ['resources'] },
  TypedLocalObjectReference: { ptrStrings: ['apiGroup'] },
  TypedObjectReference: { ptrStrings: ['apiGroup', 'namespace'] },
};

const FACTS = new Map<string, GoFacts>([
  ...Object.entries(CORE).map(([k, v]) => [`io.k8s.api.core.v1.${k}`, v] as [string, GoFacts]),
  ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', { valInts: ['generation'], always: ['creationTimestamp'] }],
]);

type Kind = 'string' | 'bool' | 'int' | 'list' | 'map' | 'struct' | 'time' | 'quantity' | 'intstr' | 'any';

function kindOf(s: Schema): Kind {
  if (s['x-kubernetes-quantity']) return 'quantity';
  if (s['x-kubernetes-int-or-string']) return 'intstr';
  switch (s.type) {
    case 'string':
      return s.format === 'date-time' ? 'time' : 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
    case 'number':
      return 'int';
    case 'array':
      return 'list';
    case 'object':
      if (s.properties) return 'struct';
      return s.additionalProperties ? 'map' : 'any';
    default:
      return 'any';
  }
}

/** What Go writes for a field that is always written but was never set. */
function zeroOf(s: Schema): unknown {
  const { schema } = resolveSchema(s);
  switch (kindOf(schema)) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'intstr':
      return 0;
    case 'quantity':
      return '0';
    case 'struct':
      return normalizeStruct({}, schema, resolveSchema(s).name);
    default:
      return null; // nil slices, maps and pointers, and the zero Time
  }
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

/** Whether Go's encoder leaves this field out. */
function omitted(field: string, kind: Kind, v: unknown, facts: GoFacts | undefined): boolean {
  if (v === undefined || v === null) return true;
  switch (kind) {
    case 'string':
      return v === '' && !facts?.ptrStrings?.includes(field);
    case 'bool':
      return v === false && !!facts?.valBools?.includes(field);
    case 'int':
      return v === 0 && !!facts?.valInts?.includes(field);
    case 'list':
    case 'map':
      return isEmpty(v);
    default:
      return false;
  }
}

interface StructPlan {
  props: Record<string, Schema>;
  facts: GoFacts | undefined;
  always: string[];
}

const plans = new Map<string, StructPlan>();

/** Per-type facts, computed once: the schema's properties and the fields always written. */
function planFor(schema: Schema, defName: string | undefined): StructPlan {
  const cached = defName ? plans.get(defName) : undefined;
  if (cached) return cached;
  const facts = defName ? FACTS.get(defName) : undefined;
  const props = schema.properties ?? {};
  const always = [...new Set([...(schema.required ?? []), ...(facts?.always ?? [])])].filter((f) => props[f] !== undefined);
  const plan = { props, facts, always };
  if (defName) plans.set(defName, plan);
  return plan;
}

function normalizeStruct(value: Record<string, unknown>, schema: Schema, defName: string | undefined): Record<string, unknown> {
  const { props, facts, always } = planFor(schema, defName);
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(value)) {
    const fieldSchema = props[field];
    const raw = value[field];
    // Unknown fields vanish in the typed decode; nulls leave the Go zero value behind.
    if (fieldSchema === undefined || raw === undefined || raw === null) continue;
    const v = normalizeValue(raw, fieldSchema);
    if (always.includes(field) || !omitted(field, kindOf(resolveSchema(fieldSchema).schema), v, facts)) out[field] = v;
  }
  for (const field of always) if (!(field in out)) out[field] = zeroOf(props[field]);
  return out;
}

/** The value as it would look after a Go typed round trip through `s`'s type. */
export function normalizeValue(value: unknown, s: Schema): unknown {
  const { name, schema } = resolveSchema(s);
  switch (kindOf(schema)) {
    case 'struct':
      return isPlainObject(value) ? normalizeStruct(value, schema, name) : value;
    case 'list':
      return Array.isArray(value) && schema.items ? value.map((item) => (item === null ? zeroOf(schema.items!) : normalizeValue(item, schema.items!))) : value;
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = v === null ? zeroOf(schema.additionalProperties!) : normalizeValue(v, schema.additionalProperties!);
      return out;
    }
    default:
      return value;
  }
}

let podTemplateSchema: Schema | undefined;

/** A pod template as Kubernetes' Go types serialise it. */
export function normalizePodTemplate(template: unknown): Record<string, unknown> {
  podTemplateSchema ??= { $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec' };
  const v = normalizeValue(isPlainObject(template) ? template : {}, podTemplateSchema);
  return v as Record<string, unknown>;
}

/** For tests: the definition the table is keyed by exists in the served schema. */
export function goFactsCoverage(): { missing: string[] } {
  const missing: string[] = [];
  for (const name of FACTS.keys()) {
    try {
      resolveSchema({ $ref: `#/definitions/${name}` });
    } catch {
      missing.push(name);
    }
  }
  return { missing };
}
