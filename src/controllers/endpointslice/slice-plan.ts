// The whole EndpointSlice reconcile for one Service as a pure plan (upstream Reconcile,
// reconcileByAddressType and the create-to-update folding of finalize): which slices to
// create, update and delete so that they carry exactly the Service's ready-or-not pods.

import type { KObject } from '../../api/object.js';
import { podNodeName, shouldPodBeInEndpoints } from './pod-facts.js';
import { planPortSet, type PortSetMeta, type SliceChanges } from './port-mapping-plan.js';
import { addressTypesFor, publishNotReadyAddresses, type AddressType } from './service-facts.js';
import { endpointKey, podToSliceEndpoint, portMapKey, sliceEndpointPorts, type SliceEndpoint } from './slice-endpoint.js';
import { addressTypeOf, isSamePlaceholder, newSlice, ownedBy, slicePorts } from './slice-object.js';

/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlanInput {
  service: KObject;
  /** The pods the Service's selector matches. */
  pods: KObject[];
  /** The Service's managed slices, without those already being deleted. */
  slices: KObject[];
  node(name: string): KObject | undefined;
  maxEndpointsPerSlice?: number;
}

export interface SlicePlan extends SliceChanges {
  /** Problems that did not stop the plan but must make the sync retry (a pod's node is missing). */
  errors: string[];
}

/** Pods in name order, ordinals numerically, so that slices list pods predictably. */
function byName(a: KObject, b: KObject): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '', 'en', { numeric: true });
}

function planAddressType(input: SlicePlanInput, type: AddressType, existing: KObject[], errors: string[]): SliceChanges {
  const svc = input.service;
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const changes: SliceChanges = { create: [], update: [], delete: [] };

  const existingByPorts = new Map<string, KObject[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      changes.delete.push(s);
      continue;
    }
    const key = portMapKey(slicePorts(s));
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), s]);
  }

  const desired = new Map<string, { meta: PortSetMeta; endpoints: Map<string, SliceEndpoint> }>();
  for (const pod of [...input.pods].sort(byName)) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = sliceEndpointPorts(svc, pod);
    const key = portMapKey(ports);
    let group = desired.get(key);
    if (!group) desired.set(key, (group = { meta: { ports, addressType: type }, endpoints: new Map() }));
    const nodeName = podNodeName(pod);
    const node = input.node(nodeName);
    if (!node && !publishNotReadyAddresses(svc)) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToSliceEndpoint(pod, node, svc, type);
    if (ep.addresses.length > 0) group.endpoints.set(endpointKey(ep), ep);
  }

  for (const [key, group] of desired) {
    const pm = planPortSet(svc, existingByPorts.get(key) ?? [], group.endpoints, group.meta, max);
    changes.create.push(...pm.create);
    changes.update.push(...pm.update);
    changes.delete.push(...pm.delete);
  }
  for (const [key, slices] of existingByPorts) if (!desired.has(key)) changes.delete.push(...slices);

  // A Service with no endpoints still gets one empty slice, so consumers can tell
  // "no endpoints" from "not processed yet".
  if (existing.length === changes.delete.length && changes.create.length === 0) {
    const placeholder = newSlice(svc, [], type);
    if (changes.delete.length === 1 && isSamePlaceholder(changes.delete[0]!, placeholder)) changes.delete = [];
    else changes.create.push(placeholder);
  }
  return reuseDeletedSlices(svc, changes);
}

/** Rather than delete one slice and create another, rewrite the doomed slice in place. */
function reuseDeletedSlices(svc: KObject, changes: SliceChanges): SliceChanges {
  const create = [...changes.create];
  const update = [...changes.update];
  const del = [...changes.delete];
  for (let i = 0; i < del.length && create.length > 0; ) {
    const doomed = del[i]!;
    const fresh = create[create.length - 1]!;
    if (addressTypeOf(doomed) === addressTypeOf(fresh) && ownedBy(doomed, svc)) {
      fresh.metadata.name = doomed.metadata.name;
      create.pop();
      update.push(fresh);
      del.splice(i, 1);
    } else i++;
  }
  return { create, update, delete: del };
}

export function planSlices(input: SlicePlanInput): SlicePlan {
  const types = addressTypesFor(input.service);
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const byType = new Map<string, KObject[]>();
  const unsupported: KObject[] = [];
  for (const s of input.slices) {
    const t = addressTypeOf(s);
    if (!(types as string[]).includes(t)) unsupported.push(s);
    else byType.set(t, [...(byType.get(t) ?? []), s]);
  }
  for (const type of types) {
    const c = planAddressType(input, type, byType.get(type) ?? [], plan.errors);
    plan.create.push(...c.create);
    plan.update.push(...c.update);
    plan.delete.push(...c.delete);
  }
  plan.delete.push(...unsupported);
  return plan;
}
