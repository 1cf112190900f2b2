// Which revisions a StatefulSet's history no longer needs (upstream truncateHistory): the
// current and update revisions and every revision a pod still runs are live; of the rest,
// the oldest go until no more than revisionHistoryLimit remain. A negative limit keeps all.

import { isPlainObject, type KObject } from '../../api/object.js';

/** The pod label naming the ControllerRevision the pod was built from. */
export const POD_REVISION_LABEL = 'controller-revision-hash';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export function podRevision(pod: KObject): string {
  return pod.metadata.labels?.[POD_REVISION_LABEL] ?? '';
}

export function revisionHistoryLimit(set: KObject): number {
  const spec = isPlainObject(set.spec) ? set.spec : {};
  return typeof spec.revisionHistoryLimit === 'number' ? spec.revisionHistoryLimit : DEFAULT_REVISION_HISTORY_LIMIT;
}

/** The revisions to delete, oldest first. `revisions` must be sorted (sortRevisions). */
export function revisionsToTruncate(
  set: KObject,
  pods: readonly KObject[],
  revisions: readonly KObject[],
  current: KObject | undefined,
  update: KObject | undefined,
): KObject[] {
  const live = new Set<string>();
  if (current?.metadata.name) live.add(current.metadata.name);
  if (update?.metadata.name) live.add(update.metadata.name);
  for (const pod of pods) live.add(podRevision(pod));
  const history = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
  const limit = revisionHistoryLimit(set);
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}
