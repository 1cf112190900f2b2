// The default Store: a SQLite append-only log for durability (sqlite-log.ts), a Map of
// current objects with a sorted key index for reads, and an in-process watch hub. All
// reads are served from memory; SQLite is read only at open and for watch resumption
// beyond the in-memory ring.

import type { KObject } from '../api/object.js';
import { deepFreeze } from './deep-freeze.js';
import { KeyIndex } from './key-index.js';
import { SqliteLog, type LogRow, type ReplayRow } from './sqlite-log.js';
import {
  StoreError,
  type Store,
  type StoreEvent,
  type StoreEventType,
  type StoredObject,
  type WriteOptions,
} from './types.js';
import { WatchHub, type WatchErrorHandler } from './watch-hub.js';

export interface SqliteStoreOptions {
  /** Revisions kept resumable by automatic compaction. Default 10,000. */
  compactRetain?: number;
  /** Run automatic compaction (and a WAL checkpoint) every this many writes. Default 1,000; 0 disables. */
  compactEvery?: number;
  /** Events kept in memory for resumption without touching SQLite. Default 4,096. */
  ringSize?: number;
  /** How often expired (TTL) keys are looked for. Default 1,000 ms; 0 disables the timer. */
  ttlSweepMs?: number;
  /** Freeze stored objects (see deep-freeze.ts). Default true. */
  freeze?: boolean;
  /** Wall clock in ms, for TTLs; injectable for tests. */
  now?: () => number;
  /** Called when a watch callback throws; default logs to stderr. */
  onWatchError?: WatchErrorHandler;
}

const DEFAULT_RETAIN = 10_000;
const DEFAULT_COMPACT_EVERY = 1_000;
const DEFAULT_RING = 4_096;
const DEFAULT_TTL_SWEEP_MS = 1_000;

export class SqliteStore implements Store {
  private readonly log: SqliteLog;
  private readonly objects = new Map<string, StoredObject>();
  private readonly index: KeyIndex;
  /** key -> absolute expiry (ms since epoch) of its current value. */
  private readonly expiries = new Map<string, number>();
  private readonly hub: WatchHub;
  private readonly freeze: <T>(v: T) => T;
  private readonly now: () => number;
  private readonly compactRetain: number;
  private readonly compactEvery: number;
  private readonly ttlTimer: NodeJS.Timeout | undefined;
  private rev: number;
  private compactRev: number;
  private writesSinceCompact = 0;
  private closed = false;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.log = new SqliteLog(path);
    this.freeze = opts.freeze === false ? (v) => v : deepFreeze;
    this.now = opts.now ?? Date.now;
    this.compactRetain = opts.compactRetain ?? DEFAULT_RETAIN;
    this.compactEvery = opts.compactEvery ?? DEFAULT_COMPACT_EVERY;
    this.rev = this.log.lastRevision();
    this.compactRev = this.log.compactedRevision();
    for (const row of this.log.currentRows()) this.loadRow(row);
    this.index = KeyIndex.from(this.objects.keys());
    this.hub = new WatchHub(opts.ringSize ?? DEFAULT_RING, this.rev, opts.onWatchError);
    // Keys that expired while the process was down go now, as ordinary deletes.
    this.expireDue();
    const sweepMs = opts.ttlSweepMs ?? DEFAULT_TTL_SWEEP_MS;
    if (sweepMs > 0) {
      this.ttlTimer = setInterval(() => this.expireDueSafely(), sweepMs);
      this.ttlTimer.unref();
    }
  }

  get revision(): number {
    return this.rev;
  }

  get oldestResumableRevision(): number {
    return this.compactRev;
  }

  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  list(prefix: string): { items: StoredObject[]; revision: number } {
    const items = this.index.withPrefix(prefix).map((k) => this.objects.get(k)!);
    return { items, revision: this.rev };
  }

  create(key: string, value: KObject, opts?: WriteOptions): StoredObject {
    this.assertOpen();
    const existing = this.objects.get(key);
    if (existing) throw new StoreError('Exists', `key ${key} already exists`, existing.revision);
    return this.write('ADDED', key, copyOf(value), undefined, opts);
  }

  update(key: string, value: KObject, expectedRevision?: number, opts?: WriteOptions): StoredObject {
    this.assertOpen();
    const prev = this.current(key, expectedRevision);
    return this.write('MODIFIED', key, copyOf(value), prev, opts);
  }

  delete(key: string, expectedRevision?: number): StoredObject {
    this.assertOpen();
    const prev = this.current(key, expectedRevision);
    // The tombstone carries the last value; only its resourceVersion changes.
    const last: KObject = { ...prev.value, metadata: { ...prev.value.metadata } };
    return this.write('DELETED', key, last, prev, undefined);
  }

  watch(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void): () => void {
    this.assertOpen();
    if (fromRevision < this.compactRev) {
      throw new StoreError(
        'Expired',
        `too old resource version: ${fromRevision} (${this.compactRev})`,
        this.compactRev,
      );
    }
    const backlog = this.hub.replay(prefix, fromRevision) ?? this.replayFromLog(prefix, fromRevision);
    return this.hub.subscribe(prefix, fromRevision, backlog, onEvent);
  }

  compact(retain: number = this.compactRetain): void {
    this.assertOpen();
    const to = this.rev - Math.max(0, retain);
    if (to <= this.compactRev) return;
    this.log.compact(this.compactRev, to);
    this.compactRev = to;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    this.hub.stopAll();
    this.log.close();
  }

  /** Deletes every key whose TTL has passed; returns how many. Runs on a timer too. */
  expireDue(): number {
    const now = this.now();
    const due: string[] = [];
    for (const [key, at] of this.expiries) if (at <= now) due.push(key);
    for (const key of due) if (this.objects.has(key)) this.delete(key);
    return due.length;
  }

  private current(key: string, expectedRevision: number | undefined): StoredObject {
    const prev = this.objects.get(key);
    if (!prev) throw new StoreError('NotFound', `key ${key} not found`);
    if (expectedRevision !== undefined && expectedRevision !== prev.revision) {
      throw new StoreError(
        'Conflict',
        `key ${key} is at revision ${prev.revision}, not ${expectedRevision}`,
        prev.revision,
      );
    }
    return prev;
  }

  /** Appends one row, updates the cache, then fans the event out. `obj` is ours to modify. */
  private write(
    type: StoreEventType,
    key: string,
    obj: KObject,
    prev: StoredObject | undefined,
    opts: WriteOptions | undefined,
  ): StoredObject {
    const revision = this.rev + 1;
    obj.metadata.resourceVersion = String(revision);
    const ttl = opts?.ttlSeconds;
    const expiresAt = ttl !== undefined && ttl >= 0 ? Math.round(this.now() + ttl * 1000) : null;
    this.log.append({
      id: revision,
      key,
      created: type === 'ADDED',
      deleted: type === 'DELETED',
      prevRevision: prev?.revision ?? 0,
      expiresAt,
      value: JSON.stringify(obj),
    });
    // Committed: from here on nothing may throw before the event is published.
    this.rev = revision;
    const stored = this.freeze<StoredObject>({ key, value: obj, revision });
    if (type === 'DELETED') {
      this.objects.delete(key);
      this.index.remove(key);
      this.expiries.delete(key);
    } else {
      if (!prev) this.index.add(key);
      this.objects.set(key, stored);
      if (expiresAt === null) this.expiries.delete(key);
      else this.expiries.set(key, expiresAt);
    }
    const event: StoreEvent = { type, key, revision, object: stored.value };
    if (prev) event.prevObject = prev.value;
    this.hub.publish(event);
    this.maybeCompact();
    return stored;
  }

  private maybeCompact(): void {
    if (this.compactEvery <= 0 || ++this.writesSinceCompact < this.compactEvery) return;
    this.writesSinceCompact = 0;
    try {
      this.compact(this.compactRetain);
      this.log.checkpoint();
    } catch (err) {
      // The write that triggered this is already committed and acknowledged.
      console.error('store: automatic compaction failed:', err);
    }
  }

  private expireDueSafely(): void {
    if (this.closed) return;
    try {
      this.expireDue();
    } catch (err) {
      console.error('store: TTL expiry failed:', err);
    }
  }

  private loadRow(row: LogRow): void {
    const value = this.parse(row.value, row.id);
    this.objects.set(row.key, this.freeze({ key: row.key, value, revision: row.id }));
    if (row.expires_at !== null) this.expiries.set(row.key, row.expires_at);
  }

  private replayFromLog(prefix: string, fromRevision: number): StoreEvent[] {
    const out: StoreEvent[] = [];
    for (const row of this.log.rowsAfter(fromRevision)) {
      if (row.key.startsWith(prefix)) out.push(this.rowToEvent(row));
    }
    return out;
  }

  private rowToEvent(row: ReplayRow): StoreEvent {
    const type: StoreEventType = row.deleted ? 'DELETED' : row.created ? 'ADDED' : 'MODIFIED';
    const event: StoreEvent = { type, key: row.key, revision: row.id, object: this.parse(row.value, row.id) };
    if (type !== 'ADDED' && row.prev_value !== null) {
      event.prevObject = this.parse(row.prev_value, row.prev_revision);
    }
    return event;
  }

  /** The row id is the truth for resourceVersion, whatever the stored JSON says. */
  private parse(json: string, revision: number): KObject {
    const value = JSON.parse(json) as KObject;
    value.metadata = { ...(value.metadata ?? {}), resourceVersion: String(revision) };
    return this.freeze(value);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

function copyOf(value: KObject): KObject {
  const copy = structuredClone(value);
  if (typeof copy.metadata !== 'object' || copy.metadata === null) copy.metadata = {};
  return copy;
}
