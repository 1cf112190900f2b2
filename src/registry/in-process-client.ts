// The in-process transport of client/'s Client: every call goes through the Registry, as the
// HTTP handlers do, so a controller sees the same defaults, validation, errors and watch
// events either way. Bodies make the same JSON round trip and schema decode as an HTTP
// request body (unknown fields dropped, wrong types refused). Every call settles on a later
// microtask and watch events arrive from a queue, never inside the registry's write, so
// controllers are scheduled the same way under both transports.

import { badRequest, notFound, StatusError } from '../api/errors.js';
import { clone, isPlainObject, type KObject } from '../api/object.js';
import { groupVersion, mustFindResource, type ResourceInfo } from '../api/resources.js';
import { applyPatch, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from '../api/patch/index.js';
import { decodeStrict } from '../api/schema/decode.js';
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ListResult,
  PatchOptions,
  PatchType,
  WatchCallbacks,
  WatchEvent,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from '../client/types.js';
import { applyScaleToStatefulSet, scaleFromStatefulSet } from './kinds/scale.js';
import type { Registry } from './registry.js';

const CONTENT_TYPE: Record<PatchType, string> = { json: JSON_PATCH, merge: MERGE_PATCH, strategic: STRATEGIC_MERGE_PATCH };

// The resources whose DELETE answers with the object even when it is gone at once (as the
// HTTP handler does, after upstream's registries); the rest answer a Status.
const RETURNS_DELETED_OBJECT = new Set(['pods', 'serviceaccounts', 'storageclasses']);

const BOOKMARK_INTERVAL_MS = 10_000;

/** Settles on a later microtask, with synchronous throws turned into rejections. */
async function later<T>(fn: () => T): Promise<T> {
  await Promise.resolve();
  return fn();
}

/** What an HTTP body would become: JSON (undefined dropped), then decoded against the schema. */
function asRequestBody(info: ResourceInfo, obj: KObject, expected = { apiVersion: groupVersion(info), kind: info.kind }): KObject {
  if (!isPlainObject(obj)) throw badRequest(`the object provided is unrecognized (must be of type ${expected.kind})`);
  if (typeof obj.apiVersion === 'string' && obj.apiVersion !== '' && obj.apiVersion !== expected.apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected.apiVersion})`);
  }
  if (typeof obj.kind === 'string' && obj.kind !== '' && obj.kind !== expected.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${expected.kind})`);
  }
  return decodeStrict({ group: info.group, version: info.version, kind: info.kind }, JSON.stringify(obj), 'Warn').object;
}

function jsonCopy(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

export class InProcessClient implements Client {
  constructor(private readonly registry: Registry) {}

  get(res: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    return later(() => clone(this.registry.get(res, namespace, name)));
  }

  list(res: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    return later(() => {
      const out = this.registry.list(res, namespace, {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
      });
      const result: ListResult = { items: out.items.map((o) => clone(o)), resourceVersion: out.resourceVersion };
      if (out.continue) result.continue = out.continue;
      return result;
    });
  }

  create(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return later(() => clone(this.registry.create(res, namespace, asRequestBody(res, obj), { dryRun: opts.dryRun })));
  }

  update(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return later(() => clone(this.registry.update(res, namespace, nameOf(obj), asRequestBody(res, obj), { dryRun: opts.dryRun })));
  }

  updateStatus(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return later(() => {
      if (!res.subresources.some((s) => s.name === 'status')) throw notFound(res.group, `${res.plural}/status`, nameOf(obj));
      return clone(this.registry.update(res, namespace, nameOf(obj), asRequestBody(res, obj), { dryRun: opts.dryRun, subresource: 'status' }));
    });
  }

  patch(res: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<KObject> {
    return later(() => {
      const contentType = CONTENT_TYPE[type];
      if (!contentType) throw new StatusError(415, 'UnsupportedMediaType', `unsupported patch type ${String(type)}`);
      const body = jsonCopy(patch);
      if (opts.subresource === 'scale') return clone(this.patchScale(res, namespace, name, contentType, body, opts));
      if (opts.subresource === 'status' && !res.subresources.some((s) => s.name === 'status')) throw notFound(res.group, `${res.plural}/status`, name);
      const patched = this.registry.patch(
        res,
        namespace,
        name,
        (current) => {
          const out = applyPatch(contentType, current, body, res.kind);
          // As the HTTP handler: the patched object is decoded like a request body (keys sorted).
          return decodeStrict({ group: res.group, version: res.version, kind: res.kind }, out, 'Warn', { sortKeys: true }).object;
        },
        { dryRun: opts.dryRun, subresource: opts.subresource === 'status' ? 'status' : undefined },
      );
      return clone(patched);
    });
  }

  delete(res: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KObject | undefined> {
    return later(() => {
      const { object, deleted } = this.registry.delete(res, namespace, name, {
        gracePeriodSeconds: opts.gracePeriodSeconds,
        propagationPolicy: opts.propagationPolicy,
        preconditions: opts.preconditions,
        dryRun: opts.dryRun,
      });
      return deleted && !RETURNS_DELETED_OBJECT.has(res.plural) ? undefined : clone(object);
    });
  }

  bind(namespace: string, podName: string, nodeName: string): Promise<void> {
    return later(() => {
      const binding: KObject = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: podName, namespace },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      };
      this.registry.bindPod(namespace, podName, binding);
    });
  }

  finalizeNamespace(namespace: KObject): Promise<KObject> {
    return later(() => {
      const res = mustFindResource('', 'namespaces');
      return clone(this.registry.update(res, undefined, nameOf(namespace), asRequestBody(res, namespace), { subresource: 'finalize' }));
    });
  }

  watch(res: ResourceInfo, namespace: string | undefined, opts: WatchOptions, cb: WatchCallbacks): WatchHandle {
    return new InProcessWatch(this.registry, res, namespace, opts, cb);
  }

  private patchScale(res: ResourceInfo, namespace: string | undefined, name: string, contentType: string, body: unknown, opts: PatchOptions): KObject {
    if (res.plural !== 'statefulsets' || res.group !== 'apps') throw notFound(res.group, `${res.plural}/scale`, name);
    const sts = this.registry.get(res, namespace, name);
    const scale = applyPatch(contentType, scaleFromStatefulSet(sts), body, 'Scale') as unknown as Parameters<typeof applyScaleToStatefulSet>[1];
    const updated = this.registry.patch(res, namespace, name, (current) => applyScaleToStatefulSet(current, scale), { dryRun: opts.dryRun });
    return scaleFromStatefulSet(updated) as unknown as KObject;
  }
}

function nameOf(obj: KObject): string {
  const name = obj?.metadata?.name;
  if (!name) throw badRequest('name is required');
  return name;
}

/**
 * One watch over the registry. The registry calls back synchronously inside each write; the
 * events are queued and delivered from a microtask, in order, so the watcher never runs
 * inside someone else's write.
 */
class InProcessWatch implements WatchHandle {
  private readonly pending: WatchEvent[] = [];
  private scheduled = false;
  private stopped = false;
  private closing: { err?: StatusError | Error } | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly registry: Registry,
    private readonly res: ResourceInfo,
    namespace: string | undefined,
    opts: WatchOptions,
    private readonly cb: WatchCallbacks,
  ) {
    try {
      this.unsubscribe = registry.watch(res, namespace, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion }, (type, object) => {
        // No copy: below its top level the object is the store's own, deep-frozen, so sharing
        // it is safe (a watcher that wants to change it clones it, as informers' users do).
        this.enqueue({ type, object });
      });
    } catch (e) {
      // Over HTTP a refused watch (410 included) arrives as an ERROR event, then the end.
      this.close(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) {
      const t = setTimeout(() => this.close(), opts.timeoutSeconds * 1000);
      t.unref();
      this.timers.push(t);
    }
    if (opts.allowWatchBookmarks) this.scheduleBookmark();
  }

  stop(): void {
    this.stopped = true;
    this.teardown();
    this.pending.length = 0;
  }

  private scheduleBookmark(): void {
    const t = setTimeout(() => {
      if (this.stopped || this.closing) return;
      // Every event up to the current revision was queued synchronously at its commit, so
      // the current revision is a safe place to resume from.
      const rv = String(this.registry.currentRevision);
      this.enqueue({ type: 'BOOKMARK', object: { kind: this.res.kind, apiVersion: groupVersion(this.res), metadata: { resourceVersion: rv } } });
      this.scheduleBookmark();
    }, BOOKMARK_INTERVAL_MS);
    t.unref();
    this.timers.push(t);
  }

  private enqueue(e: WatchEvent): void {
    if (this.stopped || this.closing) return;
    this.pending.push(e);
    this.schedule();
  }

  private close(err?: StatusError | Error): void {
    if (this.stopped || this.closing) return;
    this.closing = { err };
    this.teardown();
    this.schedule();
  }

  private teardown(): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    unsubscribe?.();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    // Events queued during a callback are delivered in this same pass, still in order.
    for (let i = 0; i < this.pending.length && !this.stopped; i++) {
      try {
        this.cb.onEvent(this.pending[i]!);
      } catch (err) {
        console.error(`in-process watch ${this.res.plural}: event handler threw:`, err);
      }
    }
    this.pending.length = 0;
    if (this.closing && !this.stopped) {
      this.stopped = true;
      this.cb.onClose(this.closing.err);
    }
  }
}
