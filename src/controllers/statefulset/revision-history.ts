// Choosing a StatefulSet's current and update ControllerRevisions each sync, creating or
// bumping one when the template changed, and truncating old history (upstream
// getStatefulSetRevisions, history.CreateControllerRevision / UpdateControllerRevision,
// truncateHistory). Hashing and revision data come from ../history.

import { clone, type KObject } from '../../api/object.js';
import type { StatefulSetPorts } from './ports.js';
import { isAlreadyExists, isConflict } from './errors.js';
import { podRevision } from './pod-identity.js';
import { namespaceOf, nameOf, revisionHistoryLimit, statusOf } from './spec.js';
import { hashControllerRevision, controllerRevisionName } from '../history/hash.js';
import { revisionDataBytes } from '../history/revision-data.js';
import { equalRevision, findEqualRevisions, newRevision, nextRevision, revisionNumber, sortRevisions } from '../history/revisions.js';

export interface SetRevisions {
  current: KObject;
  update: KObject;
  collisionCount: number;
}

const UPDATE_ATTEMPTS = 4;

/**
 * Creates `revision`, renaming it with a bumped collision count while the name is taken
 * by a revision with other data; an existing revision with the same data is reused.
 * Like upstream, only the name changes on a collision (the hash label keeps the first hash).
 */
async function createRevision(ports: StatefulSetPorts, set: KObject, revision: KObject, collision: { count: number }): Promise<KObject> {
  const data = revisionDataBytes(revision);
  const candidate = clone(revision);
  for (;;) {
    candidate.metadata.name = controllerRevisionName(nameOf(set), hashControllerRevision(data, collision.count));
    try {
      return await ports.createRevision(namespaceOf(set), clone(candidate));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await ports.getRevisionLive(namespaceOf(set), nameOf(candidate));
      if (existing === undefined) throw err;
      if (revisionDataBytes(existing) === data) return existing;
      collision.count++;
    }
  }
}

/** Sets an existing revision's number (a rollback makes an older revision the newest). */
async function bumpRevision(ports: StatefulSetPorts, revision: KObject, number: number): Promise<KObject> {
  let target = clone(revision);
  let lastErr: unknown;
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    if (revisionNumber(target) === number) return target;
    target.revision = number;
    try {
      return await ports.updateRevision(clone(target));
    } catch (err) {
      lastErr = err;
      const fresh = await ports.getRevisionLive(namespaceOf(target), nameOf(target)).catch(() => undefined);
      if (fresh) target = clone(fresh);
      if (!isConflict(err)) break;
    }
  }
  throw lastErr;
}

/**
 * The current and update revisions of `set`. `sorted` is the set's history in order. The
 * update revision is the newest when it equals the template; an older equal one is bumped
 * to the newest number (rollback); otherwise a new one is created. The current revision is
 * the one status.currentRevision names, or the update revision when there is none.
 */
export async function getStatefulSetRevisions(ports: StatefulSetPorts, set: KObject, sorted: KObject[]): Promise<SetRevisions> {
  const collision = { count: statusOf(set).collisionCount ?? 0 };
  const candidate = newRevision(set, nextRevision(sorted), collision.count);
  const equal = findEqualRevisions(sorted, set);
  const newest = sorted[sorted.length - 1];
  const lastEqual = equal[equal.length - 1];
  let update: KObject;
  if (lastEqual !== undefined && newest !== undefined && (nameOf(lastEqual) === nameOf(newest) || equalRevision(newest, lastEqual))) {
    update = newest;
  } else if (lastEqual !== undefined) {
    update = await bumpRevision(ports, lastEqual, revisionNumber(candidate));
  } else {
    update = await createRevision(ports, set, candidate, collision);
  }
  const currentName = statusOf(set).currentRevision;
  const current = sorted.find((r) => nameOf(r) === currentName) ?? update;
  return { current, update, collisionCount: collision.count };
}

/**
 * Deletes the oldest non-live revisions until at most revisionHistoryLimit remain. Live:
 * the current and update revisions and every revision a pod is labelled with. A negative
 * limit keeps everything.
 */
export async function truncateHistory(ports: StatefulSetPorts, set: KObject, pods: KObject[], sorted: KObject[], current?: KObject, update?: KObject): Promise<void> {
  const live = new Set<string>();
  if (current) live.add(nameOf(current));
  if (update) live.add(nameOf(update));
  for (const p of pods) live.add(podRevision(p));
  const history = sorted.filter((r) => !live.has(nameOf(r)));
  const limit = revisionHistoryLimit(set);
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    await ports.deleteRevision(namespaceOf(r) || namespaceOf(set), nameOf(r));
  }
}

export { sortRevisions };
