// Exponential backoff with jitter for reconnecting informers: initial, doubling, capped;
// the jitter spreads reconnects of many informers after a shared outage.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Fraction of the delay added at random (0.2: up to 20 % longer, never past maxMs). */
  jitter?: number;
}

export class Backoff {
  private failures = 0;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly jitter: number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 100;
    this.maxMs = opts.maxMs ?? 30_000;
    this.jitter = opts.jitter ?? 0.2;
  }

  /** Failures since the last reset. */
  get steps(): number {
    return this.failures;
  }

  /** Counts one more failure and answers how long to wait before the next attempt. */
  next(random: () => number = Math.random): number {
    const base = Math.min(this.maxMs, this.initialMs * Math.pow(2, this.failures));
    this.failures++;
    return Math.round(Math.min(this.maxMs, base * (1 + this.jitter * random())));
  }

  reset(): void {
    this.failures = 0;
  }
}
