// Fitting the desired endpoints of one port set into that port set's existing slices
// (upstream reconcileByPortMapping): keep endpoints where they are, update in place the ones
// whose state changed, drop the ones no longer wanted, then place the new ones — first into
// slices that are being written anyway, then into the unchanged slice they fit best, and only
// then into new slices. This keeps writes (and churn for watchers) low.

import { clone, deepEqual, type KObject } from '../../api/object.js';
import type { AddressType } from './service-facts.js';
import { endpointKey, type SliceEndpoint, type SlicePort } from './slice-endpoint.js';
import { newSlice, sliceEndpoints, sliceLabelsFor } from './slice-object.js';

export interface SliceChanges {
  create: KObject[];
  update: KObject[];
  delete: KObject[];
}

export interface PortSetMeta {
  ports: SlicePort[];
  addressType: AddressType;
}

/** Takes the first desired endpoint out of the set (the set keeps pod order). */
function popFirst(desired: Map<string, SliceEndpoint>): SliceEndpoint {
  const [key, ep] = desired.entries().next().value as [string, SliceEndpoint];
  desired.delete(key);
  return ep;
}

/** The unchanged slice that `count` more endpoints fill most exactly, if any fits. */
function sliceToFill(slices: KObject[], count: number, max: number): KObject | undefined {
  let best: KObject | undefined;
  let bestFree = max;
  for (const s of slices) {
    const free = max - (count + sliceEndpoints(s).length);
    if (free >= 0 && free < bestFree) {
      bestFree = free;
      best = s;
      if (free === 0) break;
    }
  }
  return best;
}

function fill(slice: KObject, desired: Map<string, SliceEndpoint>, max: number): void {
  const eps = sliceEndpoints(slice).slice();
  while (desired.size > 0 && eps.length < max) eps.push(popFirst(desired));
  slice.endpoints = eps;
}

export function planPortSet(svc: KObject, existing: KObject[], desired: Map<string, SliceEndpoint>, meta: PortSetMeta, max: number): SliceChanges {
  const byName = new Map<string, KObject>();
  const unchanged: string[] = [];
  const toUpdate = new Set<string>();
  const toDelete: string[] = [];

  // 1. Existing slices: keep wanted endpoints (in their current state), drop the rest.
  for (const slice of existing) {
    const name = slice.metadata.name ?? '';
    byName.set(name, slice);
    const kept: SliceEndpoint[] = [];
    let stateChanged = false;
    for (const ep of sliceEndpoints(slice)) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want) continue;
      kept.push(want);
      if (!deepEqual(want, ep)) stateChanged = true;
      desired.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabelsFor(slice, svc);
    if (stateChanged || kept.length !== sliceEndpoints(slice).length) {
      if (kept.length === 0) {
        toDelete.push(name);
        continue;
      }
      const copy = clone(slice);
      copy.endpoints = kept;
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else if (labelsChanged) {
      const copy = clone(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else {
      unchanged.push(name);
    }
  }

  // 2. New endpoints go first into slices written anyway, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => sliceEndpoints(b).length - sliceEndpoints(a).length);
    for (const s of slices) fill(s, desired, max);
  }

  // 3. Then into the unchanged slice that fits them best, else into new slices.
  const create: KObject[] = [];
  while (desired.size > 0) {
    let target: KObject | undefined;
    if (desired.size < max && unchanged.length > 0) {
      const candidate = sliceToFill(
        unchanged.map((n) => byName.get(n)!),
        desired.size,
        max,
      );
      if (candidate) {
        target = clone(candidate);
        byName.set(target.metadata.name ?? '', target);
      }
    }
    if (!target) target = newSlice(svc, meta.ports, meta.addressType);
    fill(target, desired, max);
    const name = target.metadata.name;
    if (name) {
      toUpdate.add(name);
      unchanged.splice(unchanged.indexOf(name), 1);
    } else create.push(target);
  }

  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: toDelete.map((n) => byName.get(n)!),
  };
}
