// One probe of one container attempt, timed as upstream's prober worker: nothing before
// initialDelaySeconds after the container started, then one run every periodSeconds, each
// bounded by timeoutSeconds; the verdict flips after successThreshold consecutive successes
// or failureThreshold consecutive failures. Readiness starts as failure, liveness as success,
// and liveness/readiness wait for the startup probe. A liveness or startup verdict of failure
// ends the worker: the container is restarted and gets new workers.

import { isPlainObject, type JsonObject } from '../../../api/object.js';
import type { ProbeOutcome } from './probe-actions.js';

type J = JsonObject;
export type ProbeKind = 'startup' | 'readiness' | 'liveness';

const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);

export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export function probeTiming(probe: J, kind: ProbeKind): ProbeTiming {
  return {
    initialDelayMs: num(probe.initialDelaySeconds, 0) * 1000,
    periodMs: Math.max(1, num(probe.periodSeconds, 10)) * 1000,
    timeoutMs: Math.max(1, num(probe.timeoutSeconds, 1)) * 1000,
    // Liveness and startup probes must use 1; validation enforces it, this just follows it.
    successThreshold: kind === 'readiness' ? Math.max(1, num(probe.successThreshold, 1)) : 1,
    failureThreshold: Math.max(1, num(probe.failureThreshold, 3)),
  };
}

export interface ProbeWorkerHooks {
  /** Runs the probe's action once, within timeoutMs. */
  run(timeoutMs: number): Promise<ProbeOutcome>;
  /** Liveness/readiness wait for this (startup passed); startup probes ignore it. */
  gate(): boolean;
  /** Each failed run (the Unhealthy event), and each warning. */
  onFailure(message: string): void;
  onWarning(message: string): void;
  /** The verdict changed. */
  onVerdict(ok: boolean): void;
}

export class ProbeWorker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  verdict: boolean;
  readonly timing: ProbeTiming;

  constructor(readonly kind: ProbeKind, probe: J, private readonly startedAt: Date, private readonly hooks: ProbeWorkerHooks, private readonly now: () => number = Date.now) {
    this.timing = probeTiming(isPlainObject(probe) ? probe : {}, kind);
    this.verdict = kind === 'liveness';
  }

  start(): void {
    const firstAt = this.startedAt.getTime() + this.timing.initialDelayMs;
    this.schedule(Math.max(0, firstAt - this.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.kind !== 'startup' && !this.hooks.gate()) return this.schedule(this.timing.periodMs);
    const outcome = await this.hooks.run(this.timing.timeoutMs);
    if (this.stopped) return;
    if (outcome.ok) {
      if (outcome.warning) this.hooks.onWarning(outcome.warning);
      this.successes++;
      this.failures = 0;
      if (!this.verdict && this.successes >= this.timing.successThreshold) this.setVerdict(true);
      if (this.kind === 'startup' && this.verdict) return this.stop();
    } else {
      this.hooks.onFailure(outcome.message);
      this.failures++;
      this.successes = 0;
      if ((this.verdict || this.kind === 'startup') && this.failures >= this.timing.failureThreshold) {
        this.setVerdict(false);
        if (this.kind !== 'readiness') return this.stop();
      }
    }
    this.schedule(this.timing.periodMs);
  }

  private setVerdict(ok: boolean): void {
    this.verdict = ok;
    this.hooks.onVerdict(ok);
  }
}
