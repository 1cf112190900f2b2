// The collector's reads and writes against the API server, by identity: always uncached (the
// informers may lag, and a wrong delete cannot be taken back), with upstream's preconditions.

import type { KObject, OwnerReference } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { StatusError } from '../../api/errors.js';
import { findByKind, type ResourceInfo } from '../../api/resources.js';
import type { Client, DeleteOptions } from '../../client/types.js';
import { removeFinalizerPatch } from './owner-reference-patches.js';
import type { ObjectIdentity } from './object-identity.js';

/** An apiVersion/kind the server does not serve; upstream retries these (discovery may catch up). */
export class RestMappingError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`unable to get REST mapping for ${kind}/${apiVersion}.`);
  }
}

export function isStatus(err: unknown, code: number): boolean {
  return err instanceof StatusError && err.code === code;
}

export function resourceFor(apiVersion: string, kind: string): ResourceInfo {
  const res = findByKind(apiVersion, kind);
  if (!res) throw new RestMappingError(apiVersion, kind);
  return res;
}

function namespaceFor(res: ResourceInfo, id: ObjectIdentity): string | undefined {
  return res.namespaced ? id.namespace : undefined;
}

export class ClusterOperations {
  constructor(private readonly client: Client, private readonly sleep: (ms: number) => Promise<void> = defaultSleep) {}

  get(id: ObjectIdentity): Promise<KObject> {
    const res = resourceFor(id.apiVersion, id.kind);
    return this.client.get(res, namespaceFor(res, id), id.name);
  }

  /** GET of an owner named by a reference from an object in `namespace`. */
  getOwner(res: ResourceInfo, ref: OwnerReference, namespace: string): Promise<KObject> {
    return this.client.get(res, res.namespaced ? namespace : undefined, ref.name);
  }

  /**
   * Deletes `id` only if it is still the object (uid) at the version that was judged
   * (resourceVersion). If only the version moved on while the ownerReferences stayed the same,
   * the judgement still holds and the delete is retried with the uid alone.
   */
  async delete(id: ObjectIdentity, resourceVersion: string, ownersAtVersion: OwnerReference[] | undefined, policy: NonNullable<DeleteOptions['propagationPolicy']>): Promise<void> {
    const res = resourceFor(id.apiVersion, id.kind);
    const ns = namespaceFor(res, id);
    const withVersion: DeleteOptions = { propagationPolicy: policy, preconditions: { uid: id.uid, ...(resourceVersion ? { resourceVersion } : {}) } };
    try {
      await this.client.delete(res, ns, id.name, withVersion);
      return;
    } catch (err) {
      if (!isStatus(err, 409) || !resourceVersion) throw err;
      const live = await this.client.get(res, ns, id.name);
      const ownersUnchanged = deepEqual(live.metadata.ownerReferences ?? [], ownersAtVersion ?? []);
      if (live.metadata.uid !== id.uid || live.metadata.resourceVersion === resourceVersion || !ownersUnchanged) throw err;
    }
    await this.client.delete(res, ns, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
  }

  /**
   * Strategic merge patch, or when the resource refuses it (415), a JSON merge patch built
   * from the object's current state.
   */
  async patch(id: ObjectIdentity, strategic: unknown, mergeFrom: (current: KObject) => unknown): Promise<KObject> {
    const res = resourceFor(id.apiVersion, id.kind);
    const ns = namespaceFor(res, id);
    try {
      return await this.client.patch(res, ns, id.name, 'strategic', strategic);
    } catch (err) {
      if (!isStatus(err, 415)) throw err;
    }
    const current = await this.client.get(res, ns, id.name);
    return this.client.patch(res, ns, id.name, 'merge', mergeFrom(current));
  }

  /**
   * Removes one finalizer with a resourceVersion-guarded merge patch, re-reading on conflict
   * (client-go's DefaultBackoff: 4 tries from 10 ms, ×5). A missing object or finalizer is done.
   */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const res = resourceFor(id.apiVersion, id.kind);
    const ns = namespaceFor(res, id);
    let delay = 10;
    for (let attempt = 1; ; attempt++) {
      let current: KObject;
      try {
        current = await this.client.get(res, ns, id.name);
      } catch (err) {
        if (isStatus(err, 404)) return;
        throw err;
      }
      // Another object under the name: the one we were finalizing is gone.
      if (current.metadata.uid !== id.uid) return;
      const patch = removeFinalizerPatch(current, finalizer);
      if (patch === undefined) return;
      try {
        await this.client.patch(res, ns, id.name, 'merge', patch);
        return;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
        if (attempt >= 4) throw new Error(`updateMaxRetries(4) has reached. The garbage collector will retry later for owner ${id.name}.`);
      }
      await this.sleep(delay * (1 + Math.random() * 0.1));
      delay *= 5;
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
