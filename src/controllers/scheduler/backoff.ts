// Upstream's scheduling-queue timings (kube-scheduler defaults): a pod that failed waits
// podInitialBackoff doubling up to podMaxBackoff before the next attempt a cluster change may
// trigger; one that no change has retried is tried again after podMaxInUnschedulablePodsDuration;
// a pod waiting for its volumes to bind gives up after VolumeBinding's bindTimeoutSeconds.

export interface SchedulerTimings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** How long an unschedulable pod waits without any relevant change before a retry. */
  unschedulableFlushMs: number;
  /** How long a pod waits for its WaitForFirstConsumer claims to become bound. */
  bindTimeoutMs: number;
}

export const DEFAULT_TIMINGS: SchedulerTimings = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 10_000,
  unschedulableFlushMs: 5 * 60_000,
  bindTimeoutMs: 600_000,
};

/** The wait after the `attempts`-th attempt: initial, doubled per further attempt, capped. */
export function backoffMs(attempts: number, t: Pick<SchedulerTimings, 'initialBackoffMs' | 'maxBackoffMs'>): number {
  let d = t.initialBackoffMs;
  for (let i = 1; i < attempts; i++) {
    if (d > t.maxBackoffMs - d) return t.maxBackoffMs;
    d += d;
  }
  return Math.min(d, t.maxBackoffMs);
}
