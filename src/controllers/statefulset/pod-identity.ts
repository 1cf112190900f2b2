// A stateful pod's identity and storage: its name and ordinal, the labels and volumes that
// tie it to its set and claims, and building a new pod from a (versioned) set
// (upstream stateful_set_utils.go: getParentNameAndOrdinal, identityMatches,
// storageMatches, updateIdentity, updateStorage, newStatefulSetPod, newVersionedStatefulSetPod).

import { clone, type KObject } from '../../api/object.js';
import {
  controllerRef, endOrdinal, nameOf, namespaceOf, partitionOf, rollingUpdateOf, selectorMatchLabels,
  serviceNameOf, startOrdinal, statusOf, strategyType, templateOf, volumeClaimTemplates,
  SET_API_VERSION, SET_KIND,
} from './spec.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const INT32_MAX = 2 ** 31 - 1;
// Greedy prefix, so "a-b-3" parses as parent "a-b", ordinal 3.
const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;

/** Parent set name and ordinal from a pod name; ("", -1) when the name has no ordinal. */
export function parentAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_NAME.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  // Go's ParseInt(…, 32) fails past int32: the parent is still reported, the ordinal is not.
  return { parent: m[1]!, ordinal: Number.isSafeInteger(n) && n <= INT32_MAX ? n : -1 };
}

export function ordinalOf(pod: KObject): number {
  return parentAndOrdinal(nameOf(pod)).ordinal;
}

export function podName(set: KObject, ordinal: number): string {
  return `${nameOf(set)}-${ordinal}`;
}

export function claimName(set: KObject, template: KObject, ordinal: number): string {
  return `${template.metadata.name ?? ''}-${nameOf(set)}-${ordinal}`;
}

export function isMemberOf(set: KObject, pod: KObject): boolean {
  return parentAndOrdinal(nameOf(pod)).parent === nameOf(set);
}

export function podInOrdinalRange(pod: KObject, set: KObject): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podRevision(pod: KObject): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? '';
}

export function setPodRevision(pod: KObject, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_LABEL]: revision };
}

/** Name, namespace and pod-name label agree with the set (hostname/subdomain are not checked). */
export function identityMatches(set: KObject, pod: KObject): boolean {
  const { parent, ordinal } = parentAndOrdinal(nameOf(pod));
  return ordinal >= 0 && parent === nameOf(set) && nameOf(pod) === podName(set, ordinal) &&
    namespaceOf(pod) === namespaceOf(set) && pod.metadata.labels?.[POD_NAME_LABEL] === nameOf(pod);
}

interface Volume { name?: string; persistentVolumeClaim?: { claimName?: string; readOnly?: boolean }; [k: string]: unknown }

function podVolumes(pod: KObject): Volume[] {
  const spec = pod.spec as { volumes?: Volume[] } | undefined;
  return spec?.volumes ?? [];
}

/** Every claim template has a same-named pod volume pointing at this ordinal's claim. */
export function storageMatches(set: KObject, pod: KObject): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const byName = new Map(podVolumes(pod).map((v) => [v.name, v]));
  return volumeClaimTemplates(set).every((t) => {
    const v = byName.get(t.metadata.name);
    return v?.persistentVolumeClaim !== undefined && v.persistentVolumeClaim.claimName === claimName(set, t, ordinal);
  });
}

/**
 * The claims a pod of `set` at this pod's ordinal uses, keyed by template name: a copy of
 * each template, renamed, in the set's namespace, labelled with the template's labels
 * overlaid by the selector's matchLabels (the selector wins on a clash).
 */
export function claimsForPod(set: KObject, pod: KObject): Map<string, KObject> {
  const ordinal = ordinalOf(pod);
  const match = selectorMatchLabels(set);
  const out = new Map<string, KObject>();
  for (const t of volumeClaimTemplates(set)) {
    const c = clone(t);
    c.apiVersion = 'v1';
    c.kind = 'PersistentVolumeClaim';
    c.metadata = { ...c.metadata, name: claimName(set, t, ordinal), namespace: namespaceOf(set) };
    const labels = c.metadata.labels ? { ...c.metadata.labels, ...(match ?? {}) } : (match ? { ...match } : undefined);
    if (labels) c.metadata.labels = labels; else delete c.metadata.labels;
    // A template may carry a status (kubectl get -o yaml round trips); a create ignores it.
    delete c.status;
    out.set(t.metadata.name ?? '', c);
  }
  return out;
}

/** Points the template-named volumes at this ordinal's claims; other volumes kept after them. */
export function updateStorage(set: KObject, pod: KObject): void {
  const claims = claimsForPod(set, pod);
  const volumes: Volume[] = [];
  for (const [name, c] of claims) {
    volumes.push({ name, persistentVolumeClaim: { claimName: c.metadata.name } });
  }
  for (const v of podVolumes(pod)) if (!claims.has(v.name ?? '')) volumes.push(v);
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  if (volumes.length > 0) spec.volumes = volumes; else delete spec.volumes;
  pod.spec = spec;
}

/** Name, namespace, pod-name and pod-index labels (repairable on a live pod). */
export function updateIdentity(set: KObject, pod: KObject): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = namespaceOf(set);
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_INDEX_LABEL]: String(ordinal),
  };
}

/** updateIdentity plus hostname and subdomain, which are immutable and so set only at creation. */
function initIdentity(set: KObject, pod: KObject): void {
  updateIdentity(set, pod);
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  spec.hostname = nameOf(pod);
  spec.subdomain = serviceNameOf(set);
  pod.spec = spec;
}

/** A new pod for `set` at `ordinal` from its template (controller.GetPodFromTemplate + identity). */
export function newStatefulSetPod(set: KObject, ordinal: number): KObject {
  const tmpl = templateOf(set);
  const tmeta = (tmpl.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(set, ordinal),
      generateName: `${nameOf(set)}-`,
      namespace: namespaceOf(set),
      ownerReferences: [controllerRef(set, SET_API_VERSION, SET_KIND)],
    },
    spec: clone(tmpl.spec ?? {}),
  };
  if (tmeta.labels) pod.metadata.labels = { ...tmeta.labels };
  if (tmeta.annotations) pod.metadata.annotations = { ...tmeta.annotations };
  if (tmeta.finalizers) pod.metadata.finalizers = [...tmeta.finalizers];
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * The pod to create at `ordinal`: from the current revision when it lies below the
 * partition (or, with RollingUpdate and no rollingUpdate block, below start+currentReplicas),
 * else from the update revision. Mirrors upstream's operator precedence exactly: the
 * partition arm applies whatever the strategy type (validation forbids rollingUpdate with
 * OnDelete, so this only matters for foreign objects).
 */
export function newVersionedPod(currentSet: KObject, updateSet: KObject, currentRevision: string, updateRevision: string, ordinal: number): KObject {
  const ru = rollingUpdateOf(currentSet);
  const start = startOrdinal(currentSet);
  const useCurrent =
    (strategyType(currentSet) === 'RollingUpdate' && ru === undefined && ordinal < start + (statusOf(currentSet).currentReplicas ?? 0)) ||
    (ru !== undefined && ordinal < start + partitionOf(currentSet));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}
