// Reads a CRI log file the way `kubectl logs` asks: the last N lines, only entries since a
// time, at most N bytes, optionally with timestamps, and with `follow` keeps reading what
// the container appends until it stops.

import { open, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { entryTime, formatEntry, parseCriLine } from './cri-log.js';

export interface LogReadOptions {
  tailLines?: number;
  /** Milliseconds since the epoch; older entries are skipped. */
  sinceMs?: number;
  limitBytes?: number;
  timestamps: boolean;
  follow: boolean;
  /** With follow: true once the container attempt has stopped (the read then drains and ends). */
  isFinished(): boolean;
  signal?: AbortSignal;
  /** How often follow re-checks without a change notification. */
  pollMs?: number;
}

export type LogSink = (chunk: Buffer, stream: 'stdout' | 'stderr') => Promise<void>;

/** Writes the output to `sink`, awaiting it for backpressure; resolves when done. */
export async function readLog(path: string, opts: LogReadOptions, sink: LogSink): Promise<void> {
  const fh = await open(path, 'r');
  let watcher: FSWatcher | undefined;
  try {
    let offset = opts.tailLines !== undefined ? await tailOffset(fh, opts.tailLines) : 0;
    let pending = Buffer.alloc(0);
    let budget = opts.limitBytes ?? Infinity;
    const buf = Buffer.allocUnsafe(64 * 1024);
    // Emits complete lines of `pending`; false once the byte limit is reached.
    const flushLines = async (): Promise<boolean> => {
      let start = 0;
      for (;;) {
        const nl = pending.indexOf(0x0a, start);
        if (nl < 0) break;
        const entry = parseCriLine(pending.subarray(start, nl));
        start = nl + 1;
        if (!entry || (opts.sinceMs !== undefined && entryTime(entry) < opts.sinceMs)) continue;
        let out = formatEntry(entry, opts.timestamps);
        if (out.length >= budget) {
          out = out.subarray(0, budget);
          budget = 0;
        } else budget -= out.length;
        if (out.length) await sink(out, entry.stream);
        if (budget === 0) return false;
      }
      pending = pending.subarray(start);
      return true;
    };
    // Reads to the current end of file; false once the byte limit is reached.
    const drain = async (): Promise<boolean> => {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) return true;
        offset += bytesRead;
        pending = Buffer.concat([pending, buf.subarray(0, bytesRead)]);
        if (!(await flushLines())) return false;
        if (opts.signal?.aborted) return false;
      }
    };
    if (!(await drain()) || !opts.follow) return;
    let wake: (() => void) | undefined;
    try {
      watcher = watch(path, () => wake?.());
      watcher.on('error', () => {});
    } catch {
      // Without inotify the poll below still notices appends.
    }
    const abort = () => wake?.();
    opts.signal?.addEventListener('abort', abort);
    try {
      while (!opts.signal?.aborted) {
        // Decide before reading, so output written just before the exit is still drained.
        const finished = opts.isFinished();
        if (!(await drain())) return;
        if (finished) return;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, opts.pollMs ?? 250);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      opts.signal?.removeEventListener('abort', abort);
    }
  } finally {
    watcher?.close();
    await fh.close();
  }
}

/** The file offset where the last `n` lines begin. */
async function tailOffset(fh: FileHandle, n: number): Promise<number> {
  const { size } = await fh.stat();
  if (n <= 0) return size;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  let pos = size;
  let seen = 0;
  while (pos > 0) {
    const len = Math.min(chunk.length, pos);
    pos -= len;
    await fh.read(chunk, 0, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      // A trailing newline ends the last line rather than starting an empty one.
      if (chunk[i] !== 0x0a || pos + i === size - 1) continue;
      seen++;
      if (seen === n) return pos + i + 1;
    }
  }
  return 0;
}
