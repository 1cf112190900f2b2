// The StatefulSet's use of its history on every sync (upstream getStatefulSetRevisions and
// truncateHistory in stateful_set_control.go): pick or make the update revision, find the
// current one, and trim what is no longer needed.

import { isPlainObject, type KObject } from '../../api/object.js';
import type { History } from './history.js';
import type { TemplateDefaulter } from './revision-data.js';
import { findEqualRevisions, newRevision, nextRevision, sortRevisions } from './revisions.js';
import { revisionsToTruncate } from './truncate.js';

export interface StatefulSetRevisions {
  currentRevision: KObject;
  updateRevision: KObject;
  /** status.collisionCount as it must be written after this sync. */
  collisionCount: number;
}

export interface RevisionOptions {
  /** StatefulSetSemanticRevisionComparison (#135017); on unless set to false. */
  semantic?: boolean;
  /** Template defaulting used by the semantic comparison, when the caller has one. */
  defaulter?: TemplateDefaulter;
}

function statusOf(set: KObject): Record<string, unknown> {
  return isPlainObject(set.status) ? set.status : {};
}

/**
 * The current and update revisions of `set`. The update revision is the newest revision if
 * it equals the set's template; an older equal revision is renumbered to be the newest (a
 * rollback reuses its object and name); otherwise a new revision is created. The current
 * revision is the one named by status.currentRevision, or the update revision when that
 * one is gone (a new set).
 */
export async function getStatefulSetRevisions(
  history: History,
  set: KObject,
  revisions: readonly KObject[],
  opts: RevisionOptions = {},
): Promise<StatefulSetRevisions> {
  const sorted = sortRevisions(revisions);
  const status = statusOf(set);
  let collisionCount = typeof status.collisionCount === 'number' ? status.collisionCount : 0;
  const candidate = newRevision(set, nextRevision(sorted), collisionCount);
  const equal = findEqualRevisions(sorted, set, opts);

  let updateRevision: KObject;
  const newestEqual = equal[equal.length - 1];
  if (newestEqual && newestEqual === sorted[sorted.length - 1]) {
    updateRevision = newestEqual;
  } else if (newestEqual) {
    updateRevision = await history.updateControllerRevision(newestEqual, candidate.revision as number);
  } else {
    const created = await history.createControllerRevision(set, candidate, collisionCount);
    updateRevision = created.revision;
    collisionCount = created.collisionCount;
  }

  const currentName = typeof status.currentRevision === 'string' ? status.currentRevision : undefined;
  const currentRevision = sorted.find((r) => currentName !== undefined && r.metadata.name === currentName) ?? updateRevision;
  return { currentRevision, updateRevision, collisionCount };
}

/**
 * Deletes the non-live revisions beyond spec.revisionHistoryLimit, oldest first; stops at
 * the first failure and rethrows it. Returns the names deleted.
 */
export async function truncateHistory(
  history: History,
  set: KObject,
  pods: readonly KObject[],
  revisions: readonly KObject[],
  current: KObject | undefined,
  update: KObject | undefined,
): Promise<string[]> {
  const doomed = revisionsToTruncate(set, pods, sortRevisions(revisions), current, update);
  const deleted: string[] = [];
  for (const rev of doomed) {
    await history.deleteControllerRevision(rev);
    deleted.push(rev.metadata.name ?? '');
  }
  return deleted;
}
