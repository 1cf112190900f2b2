// StatefulSetPorts over the real cluster: reads from the shared informers' caches (as
// upstream's listers), writes through the Client, events through the recorder. The
// algorithm (sync.ts) never sees which transport is underneath.

import type { KObject } from '../../api/object.js';
import { StatusError } from '../../api/errors.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import type { Client } from '../../client/types.js';
import type { Lister } from '../../client/informer-types.js';
import type { EventRecorder } from '../../client/event-recorder-types.js';
import type { StatefulSetPorts } from './ports.js';
import { RESOURCES } from './watched-resources.js';

export interface PortsDeps {
  client: Client;
  pods: Lister;
  claims: Lister;
  sets: Lister;
  revisions: Lister;
  recorder: EventRecorder;
  now(): Date;
}

/** The controller reference on obj, if any (an ownerReference with controller: true). */
export function controllerRefOf(obj: KObject) {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Revisions that belong to `set`: in its namespace, matching its selector, and either
 * controlled by it or orphans (upstream's ListControllerRevisions does the same, so an
 * adoption the cache has not seen yet does not hide a revision).
 */
export function revisionsOfSet(set: KObject, all: KObject[]): KObject[] {
  const selector = (set.spec as { selector?: LabelSelector } | undefined)?.selector;
  const uid = set.metadata.uid;
  return all.filter((rev) => {
    if (!labelSelectorMatches(selector, rev.metadata.labels)) return false;
    const ref = controllerRefOf(rev);
    return !ref || ref.uid === uid;
  });
}

async function orUndefinedOnNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) return undefined;
    throw err;
  }
}

export function clientPorts(d: PortsDeps): StatefulSetPorts {
  const key = (ns: string, name: string) => `${ns}/${name}`;
  return {
    getClaim: async (ns, name) => d.claims.get(key(ns, name)),
    getPod: async (ns, name) => d.pods.get(key(ns, name)),
    getStatefulSet: async (ns, name) => d.sets.get(key(ns, name)),
    listRevisions: async (set) => revisionsOfSet(set, d.revisions.listNamespace(set.metadata.namespace ?? '')),
    getRevisionLive: (ns, name) => orUndefinedOnNotFound(d.client.get(RESOURCES.revisions, ns, name)),

    createPod: (ns, pod) => d.client.create(RESOURCES.pods, ns, pod),
    updatePod: (pod) => d.client.update(RESOURCES.pods, pod.metadata.namespace, pod),
    deletePod: async (ns, name) => {
      await d.client.delete(RESOURCES.pods, ns, name);
    },

    createClaim: (ns, claim) => d.client.create(RESOURCES.claims, ns, claim),
    updateClaim: (claim) => d.client.update(RESOURCES.claims, claim.metadata.namespace, claim),

    createRevision: (ns, rev) => d.client.create(RESOURCES.revisions, ns, rev),
    updateRevision: (rev) => d.client.update(RESOURCES.revisions, rev.metadata.namespace, rev),
    deleteRevision: async (ns, name) => {
      await d.client.delete(RESOURCES.revisions, ns, name);
    },

    updateStatus: (set) => d.client.updateStatus(RESOURCES.sets, set.metadata.namespace, set),

    recordEvent: (obj, type, reason, message) => d.recorder.event(obj, type, reason, message),
    now: () => d.now(),
  };
}
