// The EndpointSlice objects this controller owns: their labels (the Service's own, plus the
// reserved ones), the controller ownerReference, a fresh slice for a Service, and the
// placeholder a Service with no endpoints still gets.

import { deepEqual, type KObject } from '../../api/object.js';
import { HEADLESS_LABEL, isServiceIPSet, type AddressType } from './service-facts.js';
import type { SliceEndpoint, SlicePort } from './slice-endpoint.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

const RESERVED = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

function withoutReserved(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (!RESERVED.has(k)) out[k] = v;
  return out;
}

/**
 * The labels a slice of this Service should carry, and whether the slice's non-reserved
 * labels differ from the Service's (the only label change that alone warrants a write).
 */
export function sliceLabelsFor(slice: KObject | undefined, svc: KObject): { labels: Record<string, string>; changed: boolean } {
  const current = withoutReserved(slice?.metadata.labels);
  const labels = withoutReserved(svc.metadata.labels);
  const changed = !deepEqual(current, labels);
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return { labels, changed };
}

export function isManagedSlice(slice: KObject): boolean {
  return slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;
}

/** The Service a managed slice belongs to, as a queue key. */
export function serviceKeyOfSlice(slice: KObject): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

export function ownedBy(slice: KObject, svc: KObject): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

export function addressTypeOf(slice: KObject): string {
  return typeof slice.addressType === 'string' ? slice.addressType : '';
}

export function sliceEndpoints(slice: KObject): unknown[] {
  return Array.isArray(slice.endpoints) ? slice.endpoints : [];
}

export function slicePorts(slice: KObject): unknown[] {
  return Array.isArray(slice.ports) ? slice.ports : [];
}

/**
 * A new, unnamed slice for the Service (the server names it `<service>-<random>`). Empty
 * lists are written as null, as upstream's storage returns them.
 */
export function newSlice(svc: KObject, ports: SlicePort[], addressType: AddressType, endpoints: SliceEndpoint[] = []): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabelsFor(undefined, svc).labels,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    addressType,
    endpoints: endpoints.length ? endpoints : null,
    ports: ports.length ? ports : null,
  };
}

/** Empty endpoint and port lists become null before a write (see newSlice). */
export function withNullEmptyLists(slice: KObject): KObject {
  if (Array.isArray(slice.endpoints) && slice.endpoints.length === 0) slice.endpoints = null;
  if (Array.isArray(slice.ports) && slice.ports.length === 0) slice.ports = null;
  return slice;
}

/**
 * Whether an existing slice already is the placeholder the Service would get: same
 * namespace, labels, owners and address type, and no endpoints or ports.
 */
export function isSamePlaceholder(existing: KObject, placeholder: KObject): boolean {
  const ownersOf = (o: KObject) => (o.metadata.ownerReferences ?? []).map((r) => ({ ...r }));
  return (
    existing.metadata.namespace === placeholder.metadata.namespace &&
    deepEqual(existing.metadata.labels ?? {}, placeholder.metadata.labels ?? {}) &&
    deepEqual(ownersOf(existing), ownersOf(placeholder)) &&
    addressTypeOf(existing) === addressTypeOf(placeholder) &&
    sliceEndpoints(existing).length === 0 &&
    slicePorts(existing).length === 0
  );
}
