// The generic REST storage every resource goes through: identity, optimistic concurrency,
// status vs main writes, generation, graceful deletion and finalizers. Kind-specific rules
// come from each kind's Strategy. The HTTP handlers and the in-process client both call
// this class, so they cannot disagree.

import type { KObject } from '../api/object.js';
import { clone, deepEqual } from '../api/object.js';
import { findResource, groupVersion, type ResourceInfo } from '../api/resources.js';
import { applyBinding } from './kinds/pods.js';
import { validateNamespaceFinalize } from './kinds/namespaces.js';
import { alreadyExists, badRequest, conflict, notFound, StatusError, tooOldResourceVersion } from '../api/errors.js';
import { throwIfInvalid } from '../api/field-errors.js';
import { StoreError, type Store, type StoredObject } from '../store/types.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { listPrefix, objectKey } from './keys.js';
import { keepOldStatus, prepareMetaForCreate, prepareMetaForUpdate, takeStatusOnly, timestamp } from './object-meta.js';
import { makeFilter } from './list-filter.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { Codec } from './codec.js';
import { admit } from './admission/index.js';
import { planDeletion, type DeleteOptions } from './deletion.js';

export type { DeleteOptions } from './deletion.js';

export interface WriteOptions {
  dryRun?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** `binding` is the scheduler's write of spec.nodeName, which no other update may make. */
  subresource?: 'status' | 'binding' | 'finalize';
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type WatchHandler = (type: WatchEventType, object: KObject) => void;

export interface DeleteResult {
  object: KObject;
  /** True when the object is gone; false when it waits on a grace period or finalizers. */
  deleted: boolean;
}

export interface RegistryOptions {
  strategyFor(info: ResourceInfo): Strategy;
  codecFor(info: ResourceInfo): Codec | undefined;
  serviceCIDR: string;
  eventTTLSeconds: number;
  now?: () => Date;
}

const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class Registry {
  readonly ctx: StrategyContext;
  private readonly now: () => Date;

  constructor(readonly store: Store, private readonly opts: RegistryOptions) {
    this.now = opts.now ?? (() => new Date());
    this.ctx = {
      now: this.now,
      serviceCIDR: opts.serviceCIDR,
      usedClusterIPs: () => this.usedClusterIPs(),
    };
  }

  get currentRevision(): number {
    return this.store.revision;
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KObject {
    return this.encode(info, this.getStored(info, namespace, name).value);
  }

  list(info: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const filter = makeFilter(opts.labelSelector, opts.fieldSelector, this.strategy(info), info.namespaced, gvrText(info));
    const { items, revision } = this.store.list(listPrefix(info, namespace));
    let start = 0;
    let listRevision = revision;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      if (token.rv < this.store.oldestResumableRevision) {
        throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      start = lowerBound(items, token.start);
      listRevision = token.rv;
    }
    const out: KObject[] = [];
    let i = start;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    for (; i < items.length && out.length < limit; i++) {
      const obj = items[i]!.value;
      if (filter.matches(obj)) out.push(this.encode(info, obj));
    }
    const result: ListResult = { items: out, resourceVersion: String(listRevision) };
    if (i < items.length && out.length >= limit) {
      // Upstream reports remainingItemCount only when it is exact (no selector).
      result.continue = encodeContinue({ rv: listRevision, start: items[i]!.key });
      if (filter.everything) result.remainingItemCount = items.length - i;
    }
    return result;
  }

  create(info: ResourceInfo, namespace: string | undefined, body: KObject, opts: WriteOptions = {}): KObject {
    const strategy = this.strategy(info);
    const obj = this.decode(info, clone(body));
    obj.metadata = obj.metadata ?? {};
    this.scopeNamespace(info, obj, namespace);
    if (info.namespaced) this.checkNamespaceAcceptsContent(namespace!);
    prepareMetaForCreate(obj.metadata, this.now());
    if (strategy.tracksGeneration) obj.metadata.generation = 1;
    strategy.defaults?.(obj);
    strategy.prepareForCreate?.(obj, this.ctx);
    admit({ operation: 'create', info, obj, store: this.store });
    throwIfInvalid(info.group, info.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', strategy.validate?.(obj, this.ctx) ?? []);
    const key = objectKey(info, namespace, obj.metadata.name!);
    if (opts.dryRun) {
      if (this.store.get(key)) throw alreadyExists(info.group, info.plural, obj.metadata.name!);
      return this.encode(info, obj);
    }
    try {
      return this.encode(info, this.store.create(key, obj, this.ttl(info)).value);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'Exists') throw alreadyExists(info.group, info.plural, obj.metadata.name!);
      throw e;
    }
  }

  update(info: ResourceInfo, namespace: string | undefined, name: string, body: KObject, opts: UpdateOptions = {}): KObject {
    const current = this.getStored(info, namespace, name);
    const incoming = this.decode(info, clone(body));
    incoming.metadata = incoming.metadata ?? {};
    if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    incoming.metadata.name = name;
    this.scopeNamespace(info, incoming, namespace);
    checkPreconditions(info, current.value, incoming);
    return this.write(info, current, incoming, opts);
  }

  /** Read-modify-write with a function, for PATCH and for the scale subresource. */
  patch(info: ResourceInfo, namespace: string | undefined, name: string, mutate: (current: KObject) => KObject, opts: UpdateOptions = {}): KObject {
    const current = this.getStored(info, namespace, name);
    const patched = this.decode(info, mutate(this.encode(info, clone(current.value))));
    patched.metadata = patched.metadata ?? {};
    if (patched.metadata.name !== name) {
      throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.scopeNamespace(info, patched, namespace);
    checkPreconditions(info, current.value, patched);
    return this.write(info, current, patched, opts);
  }

  /** POST pods/{name}/binding: assigns the pod to a node, once. */
  bindPod(namespace: string, name: string, binding: KObject, opts: WriteOptions = {}): KObject {
    const info = findResource('', 'v1', 'pods')!;
    const current = this.getStored(info, namespace, name);
    const bound = applyBinding(clone(current.value), binding, this.now());
    return this.write(info, current, bound, { ...opts, subresource: 'binding' });
  }

  delete(info: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    if (info.plural === 'namespaces' && !info.group && IMMORTAL_NAMESPACES.has(name)) {
      throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    const current = this.getStored(info, namespace, name);
    const plan = planDeletion(info, this.strategy(info), current.value, opts, this.now());
    if (plan.error) throw plan.error;
    const key = objectKey(info, namespace, name);
    if (opts.dryRun) return { object: this.encode(info, plan.object), deleted: plan.action === 'delete' };
    if (plan.action === 'delete') {
      return { object: this.encode(info, this.store.delete(key, current.revision).value), deleted: true };
    }
    if (plan.action === 'none') return { object: this.encode(info, current.value), deleted: false };
    const stored = this.store.update(key, plan.object, current.revision);
    return { object: this.encode(info, stored.value), deleted: false };
  }

  /**
   * Calls `handler` for every change under the resource (and namespace) that passes the
   * selectors. With no resourceVersion (or "0") it first replays the current objects as ADDED.
   * An object that stops (starts) matching a selector arrives as DELETED (ADDED), as upstream.
   */
  watch(info: ResourceInfo, namespace: string | undefined, opts: WatchOptions, handler: WatchHandler): () => void {
    const filter = makeFilter(opts.labelSelector, opts.fieldSelector, this.strategy(info), info.namespaced, gvrText(info));
    const prefix = listPrefix(info, namespace);
    let from: number;
    const rv = opts.resourceVersion;
    if (!rv || rv === '0') {
      const snapshot = this.store.list(prefix);
      for (const item of snapshot.items) if (filter.matches(item.value)) handler('ADDED', this.encode(info, item.value));
      from = snapshot.revision;
    } else {
      from = Number(rv);
      if (!Number.isSafeInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    }
    try {
      return this.store.watch(prefix, from, (e) => {
        const now = filter.matches(e.object);
        if (e.type === 'DELETED') {
          if (now) handler('DELETED', this.encode(info, e.object));
          return;
        }
        const before = e.type === 'MODIFIED' && e.prevObject !== undefined ? filter.matches(e.prevObject) : e.type === 'MODIFIED';
        if (now && before) handler(e.type === 'ADDED' ? 'ADDED' : 'MODIFIED', this.encode(info, e.object));
        else if (now) handler('ADDED', this.encode(info, e.object));
        else if (before && e.type === 'MODIFIED') handler('DELETED', this.encode(info, e.object));
      });
    } catch (e) {
      if (e instanceof StoreError && e.code === 'Expired') throw tooOldResourceVersion(from, this.store.oldestResumableRevision);
      throw e;
    }
  }

  // ---- internals ----

  private write(info: ResourceInfo, current: StoredObject, incoming: KObject, opts: UpdateOptions): KObject {
    const strategy = this.strategy(info);
    const old = current.value;
    let obj: KObject;
    if (opts.subresource === 'status') {
      obj = takeStatusOnly(incoming, old);
      strategy.prepareForStatusUpdate?.(obj, old, this.ctx);
    } else if (opts.subresource === 'binding') {
      obj = incoming;
    } else if (opts.subresource === 'finalize') {
      // namespaces/{name}/finalize changes spec.finalizers and nothing else.
      obj = clone(old);
      const finalizers = (incoming.spec as { finalizers?: string[] } | undefined)?.finalizers;
      obj.spec = { ...(obj.spec as object), finalizers: finalizers ?? [] };
      if (!finalizers?.length) delete (obj.spec as { finalizers?: string[] }).finalizers;
    } else {
      obj = incoming;
      prepareMetaForUpdate(obj.metadata, old.metadata);
      if (strategy.hasStatusSubresource) keepOldStatus(obj, old);
    }
    strategy.defaults?.(obj);
    if (opts.subresource === undefined) {
      strategy.prepareForUpdate?.(obj, old, this.ctx);
      admit({ operation: 'update', info, obj, old, store: this.store });
    }
    // Binding sets spec.nodeName outside the strategy, and upstream does not count it as a spec change.
    if (strategy.tracksGeneration && opts.subresource !== 'binding' && !deepEqual(obj.spec, old.spec)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    const errs =
      opts.subresource === 'status'
        ? strategy.validateStatusUpdate?.(obj, old, this.ctx) ?? []
        : opts.subresource === 'binding'
          ? []
          : opts.subresource === 'finalize'
            ? validateNamespaceFinalize(obj as { spec?: unknown })
          : strategy.validateUpdate?.(obj, old, this.ctx) ?? strategy.validate?.(obj, this.ctx) ?? [];
    throwIfInvalid(info.group, info.kind, old.metadata.name ?? '', errs);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    // A no-op write changes nothing, not even the resourceVersion (kubectl's "(no change)").
    if (deepEqual(obj, old)) return this.encode(info, old);
    const key = objectKey(info, old.metadata.namespace, old.metadata.name!);
    const finished = obj.metadata.deletionTimestamp !== undefined && !(obj.metadata.finalizers?.length) && !obj.metadata.deletionGracePeriodSeconds && !this.heldBySpecFinalizers(info, obj);
    if (opts.dryRun) return this.encode(info, obj);
    if (finished) return this.encode(info, this.store.delete(key, current.revision).value);
    return this.encode(info, this.store.update(key, obj, current.revision, this.ttl(info)).value);
  }

  private heldBySpecFinalizers(info: ResourceInfo, obj: KObject): boolean {
    if (info.plural !== 'namespaces' || info.group) return false;
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    return (spec?.finalizers?.length ?? 0) > 0;
  }

  private getStored(info: ResourceInfo, namespace: string | undefined, name: string): StoredObject {
    const found = this.store.get(objectKey(info, namespace, name));
    if (!found) throw notFound(info.group, info.plural, name);
    return found;
  }

  private strategy(info: ResourceInfo): Strategy {
    return this.opts.strategyFor(info);
  }

  private decode(info: ResourceInfo, obj: KObject): KObject {
    const codec = this.opts.codecFor(info);
    if (codec) return codec.toStorage(obj);
    // Stored with the type set, so that no-op detection compares like with like.
    obj.apiVersion = groupVersion(info);
    obj.kind = info.kind;
    return obj;
  }

  private encode(info: ResourceInfo, stored: KObject): KObject {
    // Stored objects are frozen and shared; a shallow copy suffices to set the type, and
    // callers that mutate what they get back must clone it (the in-process client does).
    const codec = this.opts.codecFor(info);
    const out = codec ? codec.fromStorage(clone(stored)) : stored;
    return { kind: info.kind, apiVersion: groupVersion(info), ...withoutTypeMeta(out) } as KObject;
  }

  private scopeNamespace(info: ResourceInfo, obj: KObject, namespace: string | undefined): void {
    if (!info.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace;
  }

  private checkNamespaceAcceptsContent(namespace: string): void {
    const ns = this.store.get(`/namespaces/${namespace}`);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.value.metadata.deletionTimestamp) {
      throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  private ttl(info: ResourceInfo): { ttlSeconds?: number } {
    return info.plural === 'events' ? { ttlSeconds: this.opts.eventTTLSeconds } : {};
  }

  private usedClusterIPs(): Set<string> {
    const used = new Set<string>();
    for (const item of this.store.list('/services/').items) {
      const spec = item.value.spec as { clusterIP?: string; clusterIPs?: string[] } | undefined;
      for (const ip of spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : [])) if (ip && ip !== 'None') used.add(ip);
    }
    return used;
  }
}

/** A write's resourceVersion and uid, when given, must be those of the stored object. */
function checkPreconditions(info: ResourceInfo, current: KObject, incoming: KObject): void {
  const name = current.metadata.name ?? '';
  const uid = incoming.metadata.uid;
  if (uid !== undefined && uid !== '' && uid !== current.metadata.uid) {
    throw conflict(info.group, info.plural, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
  }
  const rv = incoming.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(info.group, info.plural, name);
}

function gvrText(info: ResourceInfo): string {
  return `${info.group}/${info.version}, Resource=${info.plural}`;
}

function lowerBound(items: StoredObject[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** kind and apiVersion go first, as the real apiserver serialises them. */
function withoutTypeMeta(obj: KObject): Omit<KObject, 'kind' | 'apiVersion'> {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}

export { timestamp };
