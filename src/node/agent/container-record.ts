// What a pod worker remembers about one container across its attempts: the runtime's state of
// the latest attempt, the previous attempt's end (lastState), why it waits, and the probe
// verdicts that make it started and ready.

import type { ContainerState } from '../runtime/types.js';

export type ExitedState = ContainerState & { state: 'exited' };

export interface Waiting {
  reason: string;
  message?: string;
}

export interface ContainerRecord {
  name: string;
  init: boolean;
  /** An init container with restartPolicy Always (a sidecar). */
  sidecar: boolean;
  /** Attempt number of the latest start; -1 before the first in this sandbox. */
  attempt: number;
  /** The attempt number the next start uses (raised after a node restart). */
  nextAttempt: number;
  /** Restart count to report before any start here (carried from the pod's status). */
  carriedRestartCount: number;
  /** The runtime's state of the latest attempt. */
  state?: ContainerState;
  /** The end of the attempt before the latest one. */
  lastTerminated?: ExitedState;
  /** Set while the container cannot (re)start: CrashLoopBackOff, CreateContainerConfigError, … */
  waiting?: Waiting;
  /** Startup probe passed (or there is none) for the latest attempt. */
  started: boolean;
  /** Readiness verdict for the latest attempt. */
  ready: boolean;
  /** No start attempt before this time (ms): a config error or failed start is retried later. */
  notBefore?: number;
  /** finishedAt (ms) of the exit whose BackOff event was already recorded. */
  backoffReported?: number;
}

export function newRecord(name: string, init: boolean, sidecar: boolean, carriedRestartCount = 0, ranBefore = false): ContainerRecord {
  return {
    name,
    init,
    sidecar,
    attempt: -1,
    nextAttempt: ranBefore ? carriedRestartCount + 1 : carriedRestartCount,
    carriedRestartCount,
    started: false,
    ready: false,
  };
}

export function restartCount(r: ContainerRecord): number {
  return r.attempt >= 0 ? r.attempt : r.carriedRestartCount;
}

export const isRunning = (r: ContainerRecord) => r.state?.state === 'running';
export const exitedState = (r: ContainerRecord): ExitedState | undefined => (r.state?.state === 'exited' ? r.state : undefined);
