// The informer's cache: objects by key, a namespace index, and named custom indexes, kept
// in step on every change. It is also the Lister controllers read.

import type { KObject } from '../api/object.js';
import { objectKey, type IndexFunc, type Lister } from './informer-types.js';

export const NAMESPACE_INDEX = 'namespace';

/** A change the cache applied, for the informer to hand to its event handlers. */
export type CacheChange =
  | { type: 'add'; obj: KObject }
  | { type: 'update'; old: KObject; obj: KObject }
  | { type: 'delete'; obj: KObject; key: string; finalStateUnknown: boolean };

const namespaceOf: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

export class Indexer implements Lister {
  private readonly items = new Map<string, KObject>();
  private readonly indexFuncs = new Map<string, IndexFunc>([[NAMESPACE_INDEX, namespaceOf]]);
  /** index name → index value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>([[NAMESPACE_INDEX, new Map()]]);

  get size(): number {
    return this.items.size;
  }

  get(key: string): KObject | undefined {
    return this.items.get(key);
  }

  list(): KObject[] {
    return [...this.items.values()];
  }

  listNamespace(namespace: string): KObject[] {
    return this.byIndex(NAMESPACE_INDEX, namespace);
  }

  byIndex(indexName: string, value: string): KObject[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no index named ${JSON.stringify(indexName)}`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: KObject[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  /** Adds an index; objects already cached are indexed at once. Re-adding a name is an error. */
  addIndexer(name: string, fn: IndexFunc): void {
    if (this.indexFuncs.has(name)) throw new Error(`index ${JSON.stringify(name)} already exists`);
    this.indexFuncs.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) addTo(index, fn, key, obj);
  }

  /** Adds or replaces the object; answers the change (undefined when nothing changed). */
  upsert(obj: KObject): CacheChange | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion && obj.metadata.resourceVersion !== undefined) return undefined;
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old ? { type: 'update', old, obj } : { type: 'add', obj };
  }

  /** Removes the object with `obj`'s key; `obj` (the final state) is what handlers see. */
  remove(obj: KObject, finalStateUnknown = false): CacheChange | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return { type: 'delete', obj: finalStateUnknown ? old : obj, key, finalStateUnknown };
  }

  /**
   * Makes the cache equal a fresh list: objects that are new are adds, changed ones updates,
   * and those that vanished deletes whose final state is unknown (the watch missed it).
   */
  replace(objs: KObject[]): CacheChange[] {
    const changes: CacheChange[] = [];
    const seen = new Set<string>();
    for (const obj of objs) {
      seen.add(objectKey(obj));
      const c = this.upsert(obj);
      if (c) changes.push(c);
    }
    for (const [key, old] of [...this.items]) {
      if (seen.has(key)) continue;
      const c = this.remove(old, true);
      if (c) changes.push(c);
    }
    return changes;
  }

  private index(key: string, obj: KObject): void {
    for (const [name, fn] of this.indexFuncs) addTo(this.indices.get(name)!, fn, key, obj);
  }

  private unindex(key: string, obj: KObject): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indices.get(name)!;
      for (const v of safeIndex(fn, obj)) {
        const set = index.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
    }
  }
}

function safeIndex(fn: IndexFunc, obj: KObject): string[] {
  try {
    return fn(obj);
  } catch (err) {
    console.error('informer: index function threw:', err);
    return [];
  }
}

function addTo(index: Map<string, Set<string>>, fn: IndexFunc, key: string, obj: KObject): void {
  for (const v of safeIndex(fn, obj)) {
    let set = index.get(v);
    if (!set) index.set(v, (set = new Set()));
    set.add(key);
  }
}
