// One shared informer: list (in pages), then watch from the list's resourceVersion, keeping
// a cache and telling handlers what changed. A watch that ends normally is resumed from the
// last resourceVersion seen (bookmarks keep it fresh); a 410 means the history it needs is
// gone, so it lists again and delivers the difference; any other failure restarts the
// list+watch after an exponential backoff. It never stops on its own, and says on stderr
// why it is retrying, once per backoff step.

import { StatusError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { groupVersion, type ResourceInfo } from '../api/resources.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { deepFreeze } from './deep-freeze.js';
import { Indexer, type CacheChange } from './indexer.js';
import type { EventHandlers, IndexFunc, Informer, Lister } from './informer-types.js';
import type { Client, WatchEvent, WatchHandle } from './types.js';

export interface InformerOptions {
  /** Watch one namespace only; all namespaces by default. */
  namespace?: string;
  /** Page size of the initial and recovery lists. Default 500. */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Server-side watch timeout; default random 300–600 s, as client-go's reflector. */
  watchTimeoutSeconds?: () => number;
  /** Where retry messages go; default stderr. */
  log?: (message: string) => void;
}

type WatchOutcome = { kind: 'closed'; events: number; ms: number } | { kind: 'gone' } | { kind: 'stopped' };

const QUICK_CLOSE_MS = 1000;

export class SharedInformer implements Informer {
  private readonly indexer = new Indexer();
  private readonly handlers: EventHandlers[] = [];
  private readonly backoff: Backoff;
  private readonly log: (m: string) => void;
  private started = false;
  private stopped = false;
  private synced = false;
  private rv = '';
  private watch: WatchHandle | undefined;
  private endWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private readonly syncWaiters: (() => void)[] = [];
  private consecutiveGone = 0;

  constructor(private readonly client: Client, readonly resource: ResourceInfo, private readonly opts: InformerOptions = {}) {
    this.backoff = new Backoff(opts.backoff);
    this.log = opts.log ?? ((m) => console.error(m));
  }

  get lister(): Lister {
    return this.indexer;
  }

  addEventHandler(h: EventHandlers): void {
    if (!this.synced) {
      this.handlers.push(h);
      return;
    }
    // Joining late: first the cache as synthetic adds, then live changes, in that order.
    queueMicrotask(() => {
      for (const obj of this.indexer.list()) call(h.onAdd, h, obj);
      this.handlers.push(h);
    });
  }

  addIndexer(name: string, fn: IndexFunc): void {
    this.indexer.addIndexer(name, fn);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  lastSyncResourceVersion(): string {
    return this.rv;
  }

  /** Resolves once the first list is in the cache (or the informer is stopped). */
  waitForSync(): Promise<void> {
    if (this.synced || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  isStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch?.stop();
    this.endWatch?.();
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wake?.();
    for (const w of this.syncWaiters.splice(0)) w();
  }

  private get name(): string {
    return `informer ${this.resource.group ? `${this.resource.plural}.${this.resource.group}` : this.resource.plural}`;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.listAndReplace();
          needList = false;
        }
        const outcome = await this.watchOnce();
        if (outcome.kind === 'stopped') break;
        if (outcome.kind === 'gone') {
          // Normal after a long disconnect: re-list at once; only a streak of them backs off.
          needList = true;
          if (++this.consecutiveGone > 3) await this.retryAfter(new StatusError(410, 'Expired', 'watch expired repeatedly right after listing'));
          continue;
        }
        this.consecutiveGone = 0;
        if (outcome.events === 0 && outcome.ms < QUICK_CLOSE_MS) {
          // A server that ends every watch at once would otherwise be hammered.
          await this.retryAfter(new Error('watch closed immediately'), false);
          continue;
        }
        this.recovered();
      } catch (err) {
        if (this.stopped) break;
        needList = true;
        await this.retryAfter(err);
      }
    }
  }

  private recovered(): void {
    if (this.backoff.steps > 0) this.log(`${this.name}: recovered`);
    this.backoff.reset();
  }

  private retryAfter(err: unknown, report = true): Promise<void> {
    const delay = this.backoff.next();
    if (report) {
      const why = err instanceof StatusError ? `${err.code} ${err.reason ?? ''}: ${err.message}` : err instanceof Error ? err.message : String(err);
      this.log(`${this.name}: ${why}; retrying in ${delay} ms`);
    }
    return new Promise((resolve) => {
      this.wake = resolve;
      // Deliberately not unref'd: in `ordinal controllers` against an unreachable server this
      // timer is all that is left, and the process must keep retrying, not exit.
      this.sleepTimer = setTimeout(resolve, delay);
    });
  }

  private async listAndReplace(): Promise<void> {
    const items: KObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list(this.resource, this.opts.namespace, { limit: this.opts.pageSize ?? 500, continue: cont });
      if (this.stopped) return;
      for (const obj of page.items) items.push(this.own(obj));
      rv = page.resourceVersion;
      cont = page.continue;
    } while (cont);
    const changes = this.indexer.replace(items);
    this.rv = rv;
    const firstSync = !this.synced;
    this.synced = true;
    this.consecutiveGone = 0;
    for (const c of changes) this.notify(c);
    if (firstSync) for (const w of this.syncWaiters.splice(0)) w();
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise((resolve, reject) => {
      if (this.stopped) {
        resolve({ kind: 'stopped' });
        return;
      }
      const started = performance.now();
      let events = 0;
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.watch = undefined;
        this.endWatch = undefined;
        fn();
      };
      this.endWatch = () => settle(() => resolve({ kind: 'stopped' }));
      const timeout = this.opts.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
      this.watch = this.client.watch(
        this.resource,
        this.opts.namespace,
        { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds: timeout },
        {
          onEvent: (e) => {
            if (settled || this.stopped) return;
            events++;
            this.apply(e);
          },
          onClose: (err) =>
            settle(() => {
              if (this.stopped) resolve({ kind: 'stopped' });
              else if (!err) resolve({ kind: 'closed', events, ms: performance.now() - started });
              else if (err instanceof StatusError && err.code === 410) resolve({ kind: 'gone' });
              else reject(err);
            }),
        },
      );
    });
  }

  private apply(e: WatchEvent): void {
    const rv = e.object?.metadata?.resourceVersion;
    if (e.type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    const obj = this.own(e.object);
    const change = e.type === 'DELETED' ? this.indexer.remove(obj) : this.indexer.upsert(obj);
    if (rv) this.rv = rv;
    if (change) this.notify(change);
  }

  /** Gives a list item its type (a server's list items carry none) and freezes it for sharing. */
  private own(obj: KObject): KObject {
    if (!obj.kind) obj.kind = this.resource.kind;
    if (!obj.apiVersion) obj.apiVersion = groupVersion(this.resource);
    return deepFreeze(obj);
  }

  private notify(c: CacheChange): void {
    for (const h of this.handlers) {
      if (c.type === 'add') call(h.onAdd, h, c.obj);
      else if (c.type === 'update') call(h.onUpdate, h, c.old, c.obj);
      else call(h.onDelete, h, c.finalStateUnknown ? { key: c.key, obj: c.obj } : c.obj);
    }
  }
}

function call<A extends unknown[]>(fn: ((...args: A) => void) | undefined, self: EventHandlers, ...args: A): void {
  if (!fn) return;
  try {
    fn.apply(self, args);
  } catch (err) {
    console.error('informer: event handler threw:', err);
  }
}
