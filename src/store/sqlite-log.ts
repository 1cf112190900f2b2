// The durable half of the store: a kine-style append-only log in SQLite. Every write is one
// row; the row id is the global revision. This file knows SQL and nothing about caching or
// watching.

import Database from 'better-sqlite3';

export interface LogRow {
  id: number;
  key: string;
  created: number;
  deleted: number;
  prev_revision: number;
  expires_at: number | null;
  value: string;
}

export interface ReplayRow extends LogRow {
  prev_value: string | null;
}

export interface NewRow {
  id: number;
  key: string;
  created: boolean;
  deleted: boolean;
  prevRevision: number;
  expiresAt: number | null;
  value: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  key           TEXT    NOT NULL,
  created       INTEGER NOT NULL,
  deleted       INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  expires_at    INTEGER,
  value         TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export class SqliteLog {
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly compactTx: (from: number, to: number) => number;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL + synchronous=NORMAL: a commit is in the WAL (in the OS page cache) before run()
    // returns, so it survives kill -9 of this process; only a power loss or kernel crash can
    // lose the last few commits, which is the trade kine/etcd-less setups accept for speed.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insertStmt = this.db.prepare(
      `INSERT INTO log (id, key, created, deleted, prev_revision, expires_at, value)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const deleteSuperseded = this.db.prepare(
      `DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ? AND id <= ?)`,
    );
    const deleteTombstones = this.db.prepare(
      `DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1`,
    );
    const setCompacted = this.db.prepare(
      `INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
    // Incremental, etcd-like compaction to revision `to`: every row superseded by a row in
    // (from, to] is the prev_revision of that row, and rows superseded by older rows went
    // in earlier compactions. So the newest row <= `to` of each live key survives, which
    // keeps prevObject known for every event still resumable.
    this.compactTx = this.db.transaction((from: number, to: number) => {
      let n = deleteSuperseded.run(from, to).changes;
      n += deleteTombstones.run(from, to).changes;
      setCompacted.run(to);
      return n;
    });
  }

  /** Highest revision ever handed out, even if compaction removed its row since. */
  lastRevision(): number {
    const seq = this.db
      .prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`)
      .get() as { seq: number } | undefined;
    const max = this.db.prepare(`SELECT MAX(id) AS id FROM log`).get() as { id: number | null };
    return Math.max(seq?.seq ?? 0, max.id ?? 0);
  }

  compactedRevision(): number {
    const row = this.db
      .prepare(`SELECT value FROM meta WHERE name = 'compact_revision'`)
      .get() as { value: number } | undefined;
    return row?.value ?? 0;
  }

  /** The newest row of every key that is not deleted: the current objects. */
  currentRows(): LogRow[] {
    return this.db
      .prepare(
        `SELECT l.* FROM log l
         WHERE l.deleted = 0 AND l.id = (SELECT MAX(m.id) FROM log m WHERE m.key = l.key)`,
      )
      .all() as LogRow[];
  }

  /** Rows after `fromRevision`, oldest first, with the value each one replaced. */
  rowsAfter(fromRevision: number): IterableIterator<ReplayRow> {
    return this.db
      .prepare(
        `SELECT l.*, p.value AS prev_value FROM log l
         LEFT JOIN log p ON p.id = l.prev_revision AND l.prev_revision > 0
         WHERE l.id > ? ORDER BY l.id`,
      )
      .iterate(fromRevision) as IterableIterator<ReplayRow>;
  }

  /** One autocommitted INSERT: durable (see the constructor) when this returns. */
  append(row: NewRow): void {
    this.insertStmt.run(
      row.id,
      row.key,
      row.created ? 1 : 0,
      row.deleted ? 1 : 0,
      row.prevRevision,
      row.expiresAt,
      row.value,
    );
  }

  /** Compacts (from, to]; returns the number of rows removed. */
  compact(from: number, to: number): number {
    return this.compactTx(from, to);
  }

  /** Folds the WAL back into the database file and truncates it, so it cannot grow forever. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
