// Which StatefulSets a pod event concerns (upstream's addPod/updatePod/deletePod handlers):
// an owned pod wakes its controller (resolved by name and uid); an orphan wakes every set
// whose selector matches it, so that one of them can adopt it. Pure functions over the
// set cache, so the handlers stay one line each and the rules are unit-testable.

import type { KObject, OwnerReference } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import { objectKey, type DeletedFinalStateUnknown } from '../../client/informer-types.js';

/** The part of the set cache the handlers read. */
export interface SetCache {
  get(key: string): KObject | undefined;
  listNamespace(namespace: string): KObject[];
}

export interface PodEventKeys {
  /** Set keys to enqueue now. */
  now: string[];
  /** Set keys to enqueue later (a pod turned Ready under minReadySeconds). */
  later: { key: string; delayMs: number }[];
}

const none = (): PodEventKeys => ({ now: [], later: [] });

export function controllerRef(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The set a controller reference names, if it is a StatefulSet that still has that uid. */
export function resolveControllerRef(sets: SetCache, namespace: string, ref: OwnerReference): KObject | undefined {
  if (ref.kind !== 'StatefulSet' || !/^apps\//.test(ref.apiVersion)) return undefined;
  const set = sets.get(`${namespace}/${ref.name}`);
  return set && set.metadata.uid === ref.uid ? set : undefined;
}

/** Sets in the pod's namespace whose (non-empty) selector matches its labels. */
export function setsSelectingPod(sets: SetCache, pod: KObject): KObject[] {
  const ns = pod.metadata.namespace ?? '';
  return sets.listNamespace(ns).filter((set) => {
    const selector = (set.spec as { selector?: LabelSelector } | undefined)?.selector;
    // An empty selector selects nothing here, as upstream's GetPodStatefulSets.
    if (isEmptySelector(selector)) return false;
    try {
      return labelSelectorMatches(selector, pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !sel.matchExpressions?.length);
}

export function isPodReady(pod: KObject): boolean {
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function minReadySeconds(set: KObject): number {
  return ((set.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds ?? 0) | 0;
}

export function keysForPodAdd(sets: SetCache, pod: KObject): PodEventKeys {
  // A pod that arrives already terminating is handled as a deletion (upstream does the same).
  if (pod.metadata.deletionTimestamp) return keysForPodDelete(sets, pod);
  const ref = controllerRef(pod);
  if (ref) {
    const set = resolveControllerRef(sets, pod.metadata.namespace ?? '', ref);
    return set ? { now: [objectKey(set)], later: [] } : none();
  }
  return { now: setsSelectingPod(sets, pod).map(objectKey), later: [] };
}

export function keysForPodUpdate(sets: SetCache, oldPod: KObject, curPod: KObject): PodEventKeys {
  // Same resourceVersion: a re-list delivered the object again; nothing changed.
  if (curPod.metadata.resourceVersion === oldPod.metadata.resourceVersion) return none();
  const out = none();
  const ns = curPod.metadata.namespace ?? '';
  const oldRef = controllerRef(oldPod);
  const curRef = controllerRef(curPod);
  const refChanged = !deepEqual(oldRef, curRef);
  if (refChanged && oldRef) {
    const oldSet = resolveControllerRef(sets, ns, oldRef);
    if (oldSet) out.now.push(objectKey(oldSet));
  }
  if (curRef) {
    const set = resolveControllerRef(sets, ns, curRef);
    if (!set) return out;
    const key = objectKey(set);
    out.now.push(key);
    // Nothing announces the moment a Ready pod becomes available; look again just after.
    const mrs = minReadySeconds(set);
    if (mrs > 0 && !isPodReady(oldPod) && isPodReady(curPod)) out.later.push({ key, delayMs: mrs * 1000 + 1000 });
    return out;
  }
  const labelsChanged = !deepEqual(oldPod.metadata.labels ?? {}, curPod.metadata.labels ?? {});
  if (labelsChanged || refChanged) out.now.push(...setsSelectingPod(sets, curPod).map(objectKey));
  return out;
}

export function isTombstone(obj: KObject | DeletedFinalStateUnknown): obj is DeletedFinalStateUnknown {
  return !('metadata' in obj) && 'obj' in obj;
}

export function keysForPodDelete(sets: SetCache, obj: KObject | DeletedFinalStateUnknown): PodEventKeys {
  const pod = isTombstone(obj) ? obj.obj : obj;
  const ref = controllerRef(pod);
  // An orphan's deletion concerns nobody: no set was counting it.
  if (!ref) return none();
  const set = resolveControllerRef(sets, pod.metadata.namespace ?? '', ref);
  return set ? { now: [objectKey(set)], later: [] } : none();
}
