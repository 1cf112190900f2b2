// What an exec or attach session needs from its transport, whichever protocol carries it.

import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ExecStatus } from './exec-status.js';

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecChannels {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  onResize(listener: (size: TerminalSize) => void): void;
  /** Flushes output, sends the final status and closes the session. */
  finish(status: ExecStatus): Promise<void>;
}

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** `1` and `true` both mean yes, as upstream's query parsing accepts. */
export function streamOptions(query: URLSearchParams): StreamOptions {
  const yes = (k: string) => ['1', 'true'].includes((query.get(k) ?? '').toLowerCase());
  const tty = yes('tty');
  // With a TTY, stderr is merged into stdout (upstream ignores the stderr flag then).
  return { stdin: yes('stdin'), stdout: yes('stdout'), stderr: yes('stderr') && !tty, tty };
}

/** Keeps resize events, replaying the latest to late listeners (it often arrives first). */
export class ResizeFanout {
  private last: TerminalSize | undefined;
  private readonly listeners: ((s: TerminalSize) => void)[] = [];

  add(listener: (s: TerminalSize) => void): void {
    this.listeners.push(listener);
    if (this.last) listener(this.last);
  }

  /** Accepts one or more newline-separated JSON objects `{"Width":80,"Height":24}`. */
  pushJson(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as { Width?: unknown; Height?: unknown };
        const size = { width: Number(v.Width) || 0, height: Number(v.Height) || 0 };
        this.last = size;
        for (const l of this.listeners) l(size);
      } catch {
        // A malformed resize is dropped, as upstream logs and ignores it.
      }
    }
  }
}

/** Ends a writable and waits until everything written has been handed on. */
export async function endAndFlush(w: Writable | undefined): Promise<void> {
  if (!w || w.destroyed) return;
  if (!w.writableEnded) w.end();
  if (w.writableFinished) return;
  try {
    await finished(w);
  } catch {
    // The peer vanished; nothing left to flush to.
  }
}
