// The informer cache overlaid with the objects this controller has just written (upstream's
// storeObjectUpdate): a sync that runs before the watch delivers our own write must see it,
// or it would try to write the same change again against a stale resourceVersion.

import type { KObject } from '../../api/object.js';
import type { Lister } from '../../client/informer-types.js';
import { objectKey } from '../../client/informer-types.js';

function newer(a: KObject, b: KObject): boolean {
  const ra = a.metadata.resourceVersion ?? '';
  const rb = b.metadata.resourceVersion ?? '';
  if (/^\d+$/.test(ra) && /^\d+$/.test(rb)) return BigInt(ra) > BigInt(rb);
  return false;
}

export class FreshCache {
  private readonly written = new Map<string, KObject>();

  constructor(private readonly lister: Lister) {}

  /** Remembers an object the API server returned from one of our writes. */
  remember(obj: KObject): KObject {
    this.written.set(objectKey(obj), obj);
    return obj;
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  get(key: string): KObject | undefined {
    const listed = this.lister.get(key);
    const mine = this.written.get(key);
    if (!mine) return listed;
    if (!listed) {
      // Gone from the informer: deleted since our write (or not yet listed). Trust the informer
      // only once it has caught up, which for a deletion is never: drop ours.
      this.written.delete(key);
      return undefined;
    }
    if (newer(mine, listed)) return mine;
    this.written.delete(key);
    return listed;
  }

  list(): KObject[] {
    return this.lister.list().map((o) => this.get(objectKey(o)) ?? o);
  }

  listNamespace(namespace: string): KObject[] {
    return this.lister.listNamespace(namespace).map((o) => this.get(objectKey(o)) ?? o);
  }
}
