// The history service (../history) over the StatefulSet ports, so that revision selection,
// collision handling and truncation are the history package's one implementation while
// every read and write still goes through the seam the plumbing (or a test) provides.

import { clone, type KObject } from '../../api/object.js';
import type { History } from '../history/index.js';
import { controllerRevisionName, hashControllerRevision, revisionDataBytes } from '../history/index.js';
import type { StatefulSetPorts } from './ports.js';
import { isAlreadyExists, isConflict } from './errors.js';
import { nameOf, namespaceOf } from './spec.js';

const MAX_CREATE_ATTEMPTS = 100;
const UPDATE_ATTEMPTS = 4;

export function historyOverPorts(ports: StatefulSetPorts): History {
  const unused = (what: string) => () => {
    throw new Error(`${what} is the plumbing's, not part of a sync`);
  };
  return {
    listControllerRevisions: unused('listControllerRevisions'),
    adoptControllerRevision: unused('adoptControllerRevision'),
    releaseControllerRevision: unused('releaseControllerRevision'),

    async createControllerRevision(parent, revision, collisionCount) {
      const data = revisionDataBytes(revision);
      let count = collisionCount;
      for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        // As upstream, only the name follows the collision count (the hash label keeps
        // the value newRevision computed).
        const candidate = clone(revision);
        candidate.metadata.name = controllerRevisionName(nameOf(parent), hashControllerRevision(data, count));
        candidate.metadata.namespace = namespaceOf(parent);
        try {
          return { revision: await ports.createRevision(namespaceOf(parent), candidate), collisionCount: count };
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await ports.getRevisionLive(namespaceOf(parent), nameOf(candidate));
          if (existing === undefined) throw err;
          if (revisionDataBytes(existing) === data) return { revision: existing, collisionCount: count };
          count++;
        }
      }
      throw new Error(`controllerrevision for ${namespaceOf(parent)}/${nameOf(parent)}: gave up after ${MAX_CREATE_ATTEMPTS} name collisions`);
    },

    async updateControllerRevision(revision, newRevision) {
      let target: KObject = clone(revision);
      for (let attempt = 0; ; attempt++) {
        if (target.revision === newRevision) return target;
        try {
          return await ports.updateRevision({ ...clone(target), revision: newRevision });
        } catch (err) {
          if (!isConflict(err) || attempt + 1 >= UPDATE_ATTEMPTS) throw err;
          const fresh = await ports.getRevisionLive(namespaceOf(target), nameOf(target));
          if (fresh === undefined) throw err;
          target = clone(fresh);
        }
      }
    },

    async deleteControllerRevision(revision) {
      await ports.deleteRevision(namespaceOf(revision), nameOf(revision));
    },
  };
}
