// Pure operations over a StatefulSet's ControllerRevisions: building one from the set,
// comparing, ordering, numbering (upstream history.NewControllerRevision, EqualRevision,
// SortControllerRevisions and the StatefulSet's newRevision/nextRevision).

import { isPlainObject, type KObject, type OwnerReference } from '../../api/object.js';
import { CONTROLLER_REVISION_HASH_LABEL, controllerRevisionName, hashControllerRevision } from './hash.js';
import { revisionDataBytes, revisionMatchesSet, statefulSetPatch, type TemplateDefaulter } from './revision-data.js';

export const STATEFULSET_API_VERSION = 'apps/v1';
export const STATEFULSET_KIND = 'StatefulSet';

/** The controllerRef a StatefulSet puts on what it owns (metav1.NewControllerRef). */
export function statefulSetControllerRef(set: KObject): OwnerReference {
  return {
    apiVersion: STATEFULSET_API_VERSION,
    kind: STATEFULSET_KIND,
    name: set.metadata.name ?? '',
    uid: set.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controller among an object's ownerReferences, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function revisionNumber(rev: KObject): number {
  return typeof rev.revision === 'number' ? rev.revision : 0;
}

function templateLabels(set: KObject): Record<string, string> {
  const template = isPlainObject(set.spec) ? set.spec.template : undefined;
  const meta = isPlainObject(template) ? template.metadata : undefined;
  const labels = isPlainObject(meta) ? meta.labels : undefined;
  return isPlainObject(labels) ? { ...(labels as Record<string, string>) } : {};
}

/**
 * The ControllerRevision for `set`'s current template (upstream newRevision): labels are the
 * template's plus the hash, annotations are the set's, the set is its controller, and the
 * name is `<set>-<hash>` with the collision count in the hash.
 */
export function newRevision(set: KObject, revision: number, collisionCount: number): KObject {
  const data = statefulSetPatch(set);
  const hash = hashControllerRevision(data, collisionCount);
  const labels = { ...templateLabels(set), [CONTROLLER_REVISION_HASH_LABEL]: hash };
  const annotations = set.metadata.annotations && Object.keys(set.metadata.annotations).length ? { ...set.metadata.annotations } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata.name ?? '', hash),
      namespace: set.metadata.namespace,
      labels,
      ...(annotations ? { annotations } : {}),
      ownerReferences: [statefulSetControllerRef(set)],
    },
    data: JSON.parse(data),
    revision,
  };
}

/** Upstream EqualRevision: the data bytes are identical. */
export function equalRevision(a: KObject | undefined, b: KObject | undefined): boolean {
  if (!a || !b) return a === b;
  return revisionDataBytes(a) === revisionDataBytes(b);
}

/**
 * The revisions equal to `set`'s current template, in the order given: byte-equal, or (with
 * the semantic comparison of #135017, on by default) equal once both are in today's shape.
 */
export function findEqualRevisions(
  revisions: readonly KObject[],
  set: KObject,
  opts: { semantic?: boolean; defaulter?: TemplateDefaulter } = {},
): KObject[] {
  const candidate = statefulSetPatch(set);
  const semantic = opts.semantic ?? true;
  return revisions.filter((r) =>
    semantic ? revisionMatchesSet(set, r, candidate, opts.defaulter) : revisionDataBytes(r) === candidate,
  );
}

function creationMillis(rev: KObject): number {
  const t = rev.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** Orders by revision number, then creation time, then name; a new array, the input untouched. */
export function sortRevisions(revisions: readonly KObject[]): KObject[] {
  return [...revisions].sort((a, b) => {
    const byNumber = revisionNumber(a) - revisionNumber(b);
    if (byNumber !== 0) return byNumber;
    const byTime = creationMillis(a) - creationMillis(b);
    if (byTime !== 0) return byTime;
    const an = a.metadata.name ?? '';
    const bn = b.metadata.name ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
}

/** One past the newest revision's number; 1 for an empty history. `revisions` must be sorted. */
export function nextRevision(revisions: readonly KObject[]): number {
  return revisions.length === 0 ? 1 : revisionNumber(revisions[revisions.length - 1]) + 1;
}
