// The contract of a versioned object store (kine-shaped): one global revision that is the
// resourceVersion, an append-only log, in-process watch fan-out. The registry is its only user.

import type { KObject } from '../api/object.js';

export interface StoredObject {
  key: string;
  value: KObject;
  /** Revision of the last write to this key; equals Number(value.metadata.resourceVersion). */
  revision: number;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  key: string;
  revision: number;
  /** New value; for DELETED the last value, with resourceVersion set to the delete's revision. */
  object: KObject;
  /** The value before this write (MODIFIED and DELETED), when still known. */
  prevObject?: KObject;
}

export type StoreErrorCode = 'NotFound' | 'Exists' | 'Conflict' | 'Expired';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string, readonly revision?: number) {
    super(message);
  }
}

export interface WriteOptions {
  /** Delete the key automatically this many seconds after the write (events). */
  ttlSeconds?: number;
}

export interface Store {
  /** Highest revision written. */
  readonly revision: number;
  /** A watch may resume from any revision >= this; older ones are Expired (410). */
  readonly oldestResumableRevision: number;

  get(key: string): StoredObject | undefined;
  /** Objects whose key starts with `prefix`, sorted by key. */
  list(prefix: string): { items: StoredObject[]; revision: number };
  /** Throws StoreError('Exists'). Sets metadata.resourceVersion on the stored copy and returns it. */
  create(key: string, value: KObject, opts?: WriteOptions): StoredObject;
  /** Throws StoreError('NotFound'), or ('Conflict') when expectedRevision is given and stale. */
  update(key: string, value: KObject, expectedRevision?: number, opts?: WriteOptions): StoredObject;
  /** Throws like update. Returns the final object, carrying the delete's revision. */
  delete(key: string, expectedRevision?: number): StoredObject;
  /**
   * Delivers, in revision order, every event with revision > fromRevision under `prefix`,
   * first those already stored, then live ones, synchronously after each commit.
   * Throws StoreError('Expired') when fromRevision < oldestResumableRevision.
   * Returns a function that stops the watch.
   */
  watch(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void): () => void;
  /** Drop log rows no watch can need any more, keeping at least the newest `retain` revisions. */
  compact(retain?: number): void;
  close(): void;
}
