// In-process watch fan-out plus a ring of recent events for cheap resumption.
//
// Ordering rules that keep every watcher gap-free and duplicate-free:
// - Publishing is not re-entrant: a watcher callback that writes to the store only queues
//   the new event; the outer publish loop delivers it after the current one, so every
//   watcher sees events in revision order.
// - Each subscription remembers the highest revision it accepted and drops anything at or
//   below it, so an event that is both in a replay backlog and published live is seen once.
// - A subscription is registered before its backlog is drained, and queues live events that
//   arrive while it is delivering, so nothing written by a callback during replay is lost.

import type { StoreEvent } from './types.js';

export type WatchErrorHandler = (err: unknown, event: StoreEvent) => void;

class Subscription {
  private queue: StoreEvent[] = [];
  private head = 0;
  private delivering = false;
  stopped = false;

  constructor(
    readonly prefix: string,
    private highWater: number,
    private readonly onEvent: (e: StoreEvent) => void,
    private readonly onError: WatchErrorHandler,
  ) {}

  enqueue(e: StoreEvent): void {
    if (this.stopped || e.revision <= this.highWater || !e.key.startsWith(this.prefix)) return;
    this.highWater = e.revision;
    this.queue.push(e);
  }

  drain(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.head < this.queue.length && !this.stopped) {
        const e = this.queue[this.head++];
        try {
          this.onEvent(e);
        } catch (err) {
          this.onError(err, e);
        }
      }
    } finally {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
      this.delivering = false;
    }
  }
}

export class WatchHub {
  private readonly subs = new Set<Subscription>();
  private readonly ring: (StoreEvent | undefined)[];
  private ringStart = 0;
  private ringLength = 0;
  /** Every event with revision > floor is in the ring. */
  private floor: number;
  private readonly pending: StoreEvent[] = [];
  private publishing = false;

  constructor(
    capacity: number,
    startRevision: number,
    private readonly onError: WatchErrorHandler = defaultOnError,
  ) {
    this.ring = new Array(Math.max(1, capacity));
    this.floor = startRevision;
  }

  get watcherCount(): number {
    return this.subs.size;
  }

  /** Records a committed event and delivers it to every matching watcher. */
  publish(e: StoreEvent): void {
    this.remember(e);
    this.pending.push(e);
    if (this.publishing) return;
    this.publishing = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const ev = this.pending[i];
        for (const sub of this.subs) {
          sub.enqueue(ev);
          sub.drain();
        }
      }
    } finally {
      this.pending.length = 0;
      this.publishing = false;
    }
  }

  /**
   * Events under `prefix` with revision > fromRevision, from memory; undefined when the
   * ring no longer reaches back that far (the caller then reads the durable log).
   */
  replay(prefix: string, fromRevision: number): StoreEvent[] | undefined {
    if (fromRevision < this.floor) return undefined;
    const out: StoreEvent[] = [];
    for (let i = 0; i < this.ringLength; i++) {
      const e = this.ring[(this.ringStart + i) % this.ring.length]!;
      if (e.revision > fromRevision && e.key.startsWith(prefix)) out.push(e);
    }
    return out;
  }

  /** Delivers `backlog` (already filtered, in revision order), then live events. */
  subscribe(
    prefix: string,
    fromRevision: number,
    backlog: StoreEvent[],
    onEvent: (e: StoreEvent) => void,
  ): () => void {
    const sub = new Subscription(prefix, fromRevision, onEvent, this.onError);
    for (const e of backlog) sub.enqueue(e);
    this.subs.add(sub);
    sub.drain();
    return () => {
      sub.stopped = true;
      this.subs.delete(sub);
    };
  }

  stopAll(): void {
    for (const sub of this.subs) sub.stopped = true;
    this.subs.clear();
  }

  private remember(e: StoreEvent): void {
    const cap = this.ring.length;
    if (this.ringLength === cap) {
      this.floor = this.ring[this.ringStart]!.revision;
      this.ring[this.ringStart] = e;
      this.ringStart = (this.ringStart + 1) % cap;
    } else {
      this.ring[(this.ringStart + this.ringLength) % cap] = e;
      this.ringLength++;
    }
  }
}

function defaultOnError(err: unknown, event: StoreEvent): void {
  console.error(`store: watch callback failed on ${event.type} ${event.key}@${event.revision}:`, err);
}
