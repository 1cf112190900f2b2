// A Client wrapper for informer tests: it can fail lists, hold new watches back, and cut the
// open watches (normally or with an error), while recording how each watch ended.
import type { KObject } from '../../src/api/object.js';
import type { ResourceInfo } from '../../src/api/resources.js';
import type { Client, DeleteOptions, ListOptions, ListResult, PatchOptions, PatchType, WatchCallbacks, WatchHandle, WatchOptions, WriteOptions } from '../../src/client/types.js';

interface OpenWatch { cut(err?: Error): void; opts: WatchOptions }

export class FlakyClient implements Client {
  listFailures = 0;
  listCalls = 0;
  watchCalls: WatchOptions[] = [];
  /** How each watch ended: 'normal', or the error's code/message. */
  closes: string[] = [];
  private open = new Set<OpenWatch>();
  private held: (() => void)[] | undefined;

  constructor(private readonly inner: Client) {}

  /** New watches wait until release(). */
  hold(): void { this.held ??= []; }
  release(): void { const h = this.held ?? []; this.held = undefined; for (const f of h) f(); }
  get openWatches(): number { return this.open.size; }
  get heldWatches(): number { return this.held?.length ?? 0; }

  /** Ends every open watch as a server would: normally, or with an error. */
  cutWatches(err?: Error): void { for (const w of [...this.open]) w.cut(err); }

  get(res: ResourceInfo, ns: string | undefined, name: string) { return this.inner.get(res, ns, name); }
  async list(res: ResourceInfo, ns: string | undefined, opts?: ListOptions): Promise<ListResult> {
    this.listCalls++;
    if (this.listFailures > 0) { this.listFailures--; throw new Error('injected list failure'); }
    return this.inner.list(res, ns, opts);
  }
  watch(res: ResourceInfo, ns: string | undefined, opts: WatchOptions, cb: WatchCallbacks): WatchHandle {
    this.watchCalls.push(opts);
    let inner: WatchHandle | undefined;
    let stopped = false;
    let ended = false;
    const entry: OpenWatch = {
      opts,
      cut: (err) => { if (ended) return; ended = true; this.open.delete(entry); inner?.stop(); this.closes.push(err ? `error:${err.message}` : 'normal'); cb.onClose(err); },
    };
    const begin = () => {
      if (stopped) return;
      this.open.add(entry);
      inner = this.inner.watch(res, ns, opts, {
        onEvent: (e) => { if (!ended) cb.onEvent(e); },
        onClose: (err) => {
          if (ended) return;
          ended = true;
          this.open.delete(entry);
          this.closes.push(err ? `error:${(err as { code?: number }).code ?? err.message}` : 'normal');
          cb.onClose(err);
        },
      });
    };
    if (this.held) this.held.push(begin); else begin();
    return { stop: () => { stopped = true; ended = true; this.open.delete(entry); inner?.stop(); } };
  }
  create(res: ResourceInfo, ns: string | undefined, obj: KObject, o?: WriteOptions) { return this.inner.create(res, ns, obj, o); }
  update(res: ResourceInfo, ns: string | undefined, obj: KObject, o?: WriteOptions) { return this.inner.update(res, ns, obj, o); }
  updateStatus(res: ResourceInfo, ns: string | undefined, obj: KObject, o?: WriteOptions) { return this.inner.updateStatus(res, ns, obj, o); }
  patch(res: ResourceInfo, ns: string | undefined, name: string, t: PatchType, p: unknown, o?: PatchOptions) { return this.inner.patch(res, ns, name, t, p, o); }
  delete(res: ResourceInfo, ns: string | undefined, name: string, o?: DeleteOptions) { return this.inner.delete(res, ns, name, o); }
  bind(ns: string, pod: string, node: string) { return this.inner.bind(ns, pod, node); }
  finalizeNamespace(ns: KObject) { return this.inner.finalizeNamespace(ns); }
}
