// A controller's revision history over the Client (upstream history.Interface, realHistory):
// listing from the informer cache, creating with name-collision handling, renumbering for
// rollbacks, deleting, adopting and releasing.

import type { KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { StatusError } from '../../api/errors.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/selectors.js';
import type { Client } from '../../client/types.js';
import type { Lister } from '../../client/informer-types.js';
import { controllerRevisionName, hashControllerRevision } from './hash.js';
import { revisionDataBytes } from './revision-data.js';
import { controllerOf, statefulSetControllerRef } from './revisions.js';

export const CONTROLLER_REVISIONS = mustFindResource('apps', 'controllerrevisions');

/** Collisions are astronomically rare; the cap only stops a broken server from looping us. */
const MAX_CREATE_ATTEMPTS = 100;
const MAX_CONFLICT_RETRIES = 5;

export interface CreatedRevision {
  revision: KObject;
  /** The collision count after creation: the caller writes it to status.collisionCount. */
  collisionCount: number;
}

export interface History {
  /** Revisions in the set's namespace matching `selector`, owned by the set or by no controller. */
  listControllerRevisions(parent: KObject, selector: LabelSelector | undefined): KObject[];
  /**
   * Creates `revision` (from newRevision) under `parent`, named by its data and collision count.
   * If the name is taken by identical data, that revision is returned; by other data, the
   * collision count grows and the name is recomputed.
   */
  createControllerRevision(parent: KObject, revision: KObject, collisionCount: number): Promise<CreatedRevision>;
  /** Sets `revision.revision` to `newRevision` (a rollback), retrying on conflicts. */
  updateControllerRevision(revision: KObject, newRevision: number): Promise<KObject>;
  deleteControllerRevision(revision: KObject): Promise<void>;
  /** Adds a controllerRef to `parent`; refuses a revision that already has a controller. */
  adoptControllerRevision(parent: KObject, revision: KObject): Promise<KObject>;
  /** Removes `parent`'s ownerReference; a revision that is gone or not owned yields undefined. */
  releaseControllerRevision(parent: KObject, revision: KObject): Promise<KObject | undefined>;
}

function isStatus(e: unknown, code: number, reason?: string): e is StatusError {
  return e instanceof StatusError && e.code === code && (reason === undefined || e.reason === reason);
}

export function newHistory(client: Client, revisions: Lister): History {
  return {
    listControllerRevisions(parent, selector) {
      const uid = parent.metadata.uid;
      return revisions.listNamespace(parent.metadata.namespace ?? '').filter((rev) => {
        if (!labelSelectorMatches(selector, rev.metadata.labels)) return false;
        const ref = controllerOf(rev);
        return !ref || ref.uid === uid;
      });
    },

    async createControllerRevision(parent, revision, collisionCount) {
      const namespace = parent.metadata.namespace;
      const data = revisionDataBytes(revision);
      let count = collisionCount;
      for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        // As upstream, only the name follows the collision count; the hash label keeps the
        // value newRevision computed.
        const name = controllerRevisionName(parent.metadata.name ?? '', hashControllerRevision(data, count));
        const candidate: KObject = { ...revision, metadata: { ...revision.metadata, name, namespace } };
        try {
          return { revision: await client.create(CONTROLLER_REVISIONS, namespace, candidate), collisionCount: count };
        } catch (e) {
          if (!isStatus(e, 409, 'AlreadyExists')) throw e;
          const existing = await client.get(CONTROLLER_REVISIONS, namespace, name);
          if (revisionDataBytes(existing) === data) return { revision: existing, collisionCount: count };
          count++;
        }
      }
      throw new Error(`controllerrevision for ${namespace}/${parent.metadata.name}: gave up after ${MAX_CREATE_ATTEMPTS} name collisions`);
    },

    async updateControllerRevision(revision, newRevision) {
      let current = revision;
      for (let attempt = 0; ; attempt++) {
        if (current.revision === newRevision) return current;
        try {
          return await client.update(CONTROLLER_REVISIONS, current.metadata.namespace, { ...current, revision: newRevision });
        } catch (e) {
          if (!isStatus(e, 409) || attempt >= MAX_CONFLICT_RETRIES) throw e;
          current = await client.get(CONTROLLER_REVISIONS, current.metadata.namespace, current.metadata.name ?? '');
        }
      }
    },

    async deleteControllerRevision(revision) {
      await client.delete(CONTROLLER_REVISIONS, revision.metadata.namespace, revision.metadata.name ?? '');
    },

    async adoptControllerRevision(parent, revision) {
      const owner = controllerOf(revision);
      if (owner) throw new Error(`attempt to adopt revision owned by ${JSON.stringify(owner)}`);
      const patch = { metadata: { ownerReferences: [statefulSetControllerRef(parent)], uid: revision.metadata.uid } };
      return client.patch(CONTROLLER_REVISIONS, parent.metadata.namespace, revision.metadata.name ?? '', 'strategic', patch);
    },

    async releaseControllerRevision(parent, revision) {
      const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: parent.metadata.uid }], uid: revision.metadata.uid } };
      try {
        return await client.patch(CONTROLLER_REVISIONS, revision.metadata.namespace, revision.metadata.name ?? '', 'strategic', patch);
      } catch (e) {
        // Gone, or no longer ours (the uid precondition fails as Invalid): nothing to release.
        if (isStatus(e, 404) || isStatus(e, 422)) return undefined;
        throw e;
      }
    },
  };
}
