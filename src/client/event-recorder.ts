// Records core/v1 Events through the Client, as client-go's record package does for the
// controllers: Events named `<object>.<unix nanoseconds in hex>`, and an identical event
// (same object, type, reason, message and source) seen again within ten minutes bumps the
// existing Event's count and lastTimestamp with a patch instead of creating another.
// Recording never blocks or fails the caller: writes run in the background, in order per
// Event, and failures are logged.

import type { KObject } from '../api/object.js';
import { mustFindResource } from '../api/resources.js';
import { StatusError } from '../api/errors.js';
import type { EventRecorder, EventRecorderFactory } from './event-recorder-types.js';
import type { Client } from './types.js';

export interface EventRecorderOptions {
  now?: () => Date;
  /** source.host and reportingInstance; empty by default, as kube-controller-manager's. */
  host?: string;
  log?: (message: string) => void;
  /** Events waiting to be written beyond this are dropped (and logged), as client-go's broadcaster does. */
  maxPending?: number;
}

/** client-go's eventLogger remembers this many distinct events. */
const MAX_REMEMBERED = 4096;
/** An identical event within this window joins the existing Event. */
const AGGREGATION_WINDOW_MS = 10 * 60 * 1000;

interface Remembered {
  name: string;
  namespace: string;
  count: number;
  lastSeenMs: number;
  /** The Event as last sent, re-created from it if the server lost it. */
  body: KObject;
  /** Writes for this Event run one after another. */
  chain: Promise<void>;
}

/** metav1.Time: RFC 3339 to the second. */
function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether an Event already stored is the one about to be written (same source, object, reason and message). */
function sameEvent(a: KObject, b: KObject): boolean {
  const key = (e: KObject) => JSON.stringify([e.source, e.involvedObject, e.type, e.reason, e.message]);
  return key(a) === key(b);
}

export class ClientEventRecorderFactory implements EventRecorderFactory {
  private readonly events = mustFindResource('', 'events');
  private readonly remembered = new Map<string, Remembered>();
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => Date;
  private readonly log: (m: string) => void;
  private lastNanos = 0n;
  private dropping = false;

  constructor(private readonly client: Client, private readonly opts: EventRecorderOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? ((m) => console.error(m));
  }

  recorderFor(component: string): EventRecorder {
    return { event: (obj, type, reason, message) => this.record(component, obj, type, reason, message) };
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private record(component: string, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    try {
      if (type !== 'Normal' && type !== 'Warning') {
        this.log(`event recorder: unsupported event type ${JSON.stringify(type)} (reason ${reason}); dropped`);
        return;
      }
      const m = obj?.metadata;
      if (!m?.name || !obj.kind) {
        this.log(`event recorder: object without kind or name (reason ${reason}); dropped`);
        return;
      }
      if (this.pending.size >= (this.opts.maxPending ?? 1000)) {
        if (!this.dropping) this.log(`event recorder: too many Events waiting to be written; dropping (reason ${reason})`);
        this.dropping = true;
        return;
      }
      this.dropping = false;
      const host = this.opts.host ?? '';
      const involvedObject: Record<string, string> = {};
      for (const [k, v] of [['kind', obj.kind], ['namespace', m.namespace], ['name', m.name], ['uid', m.uid], ['apiVersion', obj.apiVersion], ['resourceVersion', m.resourceVersion]] as const) {
        if (v) involvedObject[k] = v;
      }
      const key = [component, host, obj.kind, m.namespace ?? '', m.name, m.uid ?? '', obj.apiVersion ?? '', type, reason, message].join('\u0000');
      const t = this.now();
      const ts = timestamp(t);
      const seen = this.remembered.get(key);
      if (seen && t.getTime() - seen.lastSeenMs <= AGGREGATION_WINDOW_MS) {
        seen.count++;
        seen.lastSeenMs = t.getTime();
        seen.body = { ...seen.body, involvedObject, count: seen.count, lastTimestamp: ts };
        this.touch(key, seen);
        const count = seen.count;
        this.enqueue(seen, () => this.bump(seen, count, ts, message));
        return;
      }
      const namespace = m.namespace || 'default';
      const name = `${m.name}.${this.nanosHex(t)}`;
      const body: KObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message,
        source: host ? { component, host } : { component },
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
        type,
        reportingComponent: component,
        reportingInstance: host,
      };
      const entry: Remembered = { name, namespace, count: 1, lastSeenMs: t.getTime(), body, chain: Promise.resolve() };
      this.touch(key, entry);
      this.enqueue(entry, () => this.create(entry, body));
    } catch (err) {
      this.log(`event recorder: ${(err as Error).message}`);
    }
  }

  /** Most recently used last; the oldest are forgotten past the limit. */
  private touch(key: string, entry: Remembered): void {
    this.remembered.delete(key);
    this.remembered.set(key, entry);
    while (this.remembered.size > MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
  }

  private enqueue(entry: Remembered, write: () => Promise<void>): void {
    const p = entry.chain.then(write).catch((err) => this.log(`event recorder: writing Event ${entry.namespace}/${entry.name}: ${(err as Error).message}`));
    entry.chain = p;
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async create(entry: Remembered, body: KObject): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.create(this.events, entry.namespace, body);
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 409)) throw err;
      }
      // The name is taken. By this very Event (a write retried after a lost answer): done. By
      // another recorder that drew the same name (every factory, in this process or another,
      // counts nanoseconds from the same millisecond clock): take the next name, or the Event
      // about this object would be lost.
      const taken = await this.client.get(this.events, entry.namespace, entry.name).catch(() => undefined);
      if (!taken || attempt >= 5 || sameEvent(taken, body)) return;
      const objectName = entry.name.slice(0, entry.name.lastIndexOf('.'));
      entry.name = `${objectName}.${this.nanosHex(this.now())}`;
      body = { ...body, metadata: { ...body.metadata, name: entry.name } };
      entry.body = body;
    }
  }

  private async bump(entry: Remembered, count: number, lastTimestamp: string, message: string): Promise<void> {
    try {
      await this.client.patch(this.events, entry.namespace, entry.name, 'strategic', { count, lastTimestamp, message });
    } catch (err) {
      // The Event expired (TTL) or was deleted: write it again, with the count it has reached.
      if (err instanceof StatusError && err.code === 404) {
        await this.create(entry, { ...entry.body, metadata: { name: entry.name, namespace: entry.namespace }, count, lastTimestamp });
        return;
      }
      throw err;
    }
  }

  /** Unix nanoseconds in hex, strictly increasing so two Events never share a name. */
  private nanosHex(t: Date): string {
    let n = BigInt(t.getTime()) * 1_000_000n;
    if (n <= this.lastNanos) n = this.lastNanos + 1n;
    this.lastNanos = n;
    return n.toString(16);
  }
}
