// CrashLoopBackOff as the kubelet keeps it (flowcontrol.Backoff keyed by pod and container):
// the first restart is immediate; each further exit waits base, 2×base, … up to max (10 s to
// 5 min by default) counted from when the container finished; an entry untouched for twice
// the maximum (10 min of running) starts again at the base.

export class CrashLoopBackoff {
  private readonly entries = new Map<string, { backoffMs: number; lastUpdateMs: number }>();
  readonly maxMs: number;

  constructor(readonly baseMs = 10_000, maxMs?: number) {
    this.maxMs = maxMs ?? baseMs * 30;
  }

  private expired(eventMs: number, lastUpdateMs: number): boolean {
    return eventMs - lastUpdateMs > 2 * this.maxMs;
  }

  /** Milliseconds still to wait before restarting a container that finished at finishedMs; 0 when it may restart. */
  remaining(key: string, finishedMs: number, nowMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(finishedMs, e.lastUpdateMs)) return 0;
    return Math.max(0, finishedMs + e.backoffMs - nowMs);
  }

  /** The current delay for a key (what the BackOff message shows). */
  current(key: string): number {
    return this.entries.get(key)?.backoffMs ?? this.baseMs;
  }

  /** Records a restart of a container that finished at finishedMs and grows the delay. */
  next(key: string, finishedMs: number): void {
    const e = this.entries.get(key);
    const backoffMs = !e || this.expired(finishedMs, e.lastUpdateMs) ? this.baseMs : Math.min(e.backoffMs * 2, this.maxMs);
    this.entries.set(key, { backoffMs, lastUpdateMs: finishedMs });
  }

  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** A duration as Go's time.Duration.String() prints it ("10s", "1m20s", "5m0s", "20ms"). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds - h * 3600 - m * 60;
  if (h) return `${h}h${m}m${trim(s)}s`;
  if (m) return `${m}m${trim(s)}s`;
  return `${trim(s)}s`;
}

const trim = (n: number) => String(Number(n.toFixed(9)));
