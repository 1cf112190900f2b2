// The downward API: values of a pod's own fields (fieldRef) and of a container's resources
// (resourceFieldRef), as upstream's fieldpath package and resource helpers compute them.
// Shared by env `valueFrom` and by downwardAPI volumes.

import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import { parseQuantity, quantityMilliValue, quantityValue, type Quantity } from '../../../api/quantity.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): J => (isPlainObject(v) ? v : {});

/** What the agent knows beyond the pod object: addresses it assigns and the node's capacity. */
export interface DownwardContext {
  podIPs: string[];
  hostIPs: string[];
  /** Node allocatable, used where a container sets no limit (upstream's MergeContainerResourceLimits). */
  nodeAllocatable: Record<string, string>;
}

/** `key="value"` lines sorted by key, as fieldpath.FormatMap prints a whole label or annotation map. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}

const SUBSCRIPT = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/;

/** Value of a fieldRef path; throws for a path the downward API does not offer. */
export function fieldRefValue(pod: KObject, fieldPath: string, ctx: DownwardContext, allowWholeMaps = false): string {
  const meta = pod.metadata;
  const spec = obj(pod.spec);
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const map = (sub[1] === 'metadata.labels' ? meta.labels : meta.annotations) ?? {};
    return map[sub[2]!] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      if (allowWholeMaps) return formatMap(meta.labels ?? {});
      break;
    case 'metadata.annotations':
      if (allowWholeMaps) return formatMap(meta.annotations ?? {});
      break;
    case 'spec.nodeName':
      return str(spec.nodeName);
    case 'spec.serviceAccountName':
      return str(spec.serviceAccountName);
    case 'status.hostIP':
      return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return ctx.hostIPs.join(',');
    case 'status.podIP':
      return ctx.podIPs[0] ?? '';
    case 'status.podIPs':
      return ctx.podIPs.join(',');
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

function findContainer(pod: KObject, name: string): J | undefined {
  const spec = obj(pod.spec);
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    const c = list.find((x) => isPlainObject(x) && x.name === name);
    if (c) return c as J;
  }
  return undefined;
}

/** A container's request or limit in units of `divisor`, rounded up (ExtractContainerResourceValue). */
export function resourceFieldValue(pod: KObject, containerName: string, resource: string, divisor: string | undefined, ctx: DownwardContext): string {
  const c = findContainer(pod, containerName);
  if (!c) throw new Error(`container ${containerName} not found in pod ${pod.metadata.namespace}/${pod.metadata.name}`);
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) throw new Error(`unsupported container resource: ${resource}`);
  const resources = obj(c.resources);
  const limits = obj(resources.limits);
  const requests = obj(resources.requests);
  let raw: string | undefined;
  if (kind === 'limits') raw = str(limits[name]) || ctx.nodeAllocatable[name];
  // An unset request defaults to the limit (as the apiserver defaults it), else 0.
  else raw = str(requests[name]) || str(limits[name]) || (name === 'cpu' ? '0' : '0');
  const q = parseQuantity(raw ?? '0') ?? parseQuantity('0')!;
  const d = parseQuantity(divisor || '1') ?? parseQuantity('1')!;
  return divide(q, d, name === 'cpu');
}

function divide(q: Quantity, divisor: Quantity, milli: boolean): string {
  const num = milli ? quantityMilliValue(q) : quantityValue(q);
  const den = milli ? quantityMilliValue(divisor) : quantityValue(divisor);
  if (den === 0) return String(num);
  return String(Math.ceil(num / den));
}
