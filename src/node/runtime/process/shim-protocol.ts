// The messages between ordinal and a pod shim: JSON objects, one per line, over the unix
// socket in the sandbox dir. Requests carry an id that the reply repeats; exit events are
// pushed to every connected client. The same container state objects are also written to
// `containers/<name>.state.json`, which is what a restarted ordinal reads.

import type { Mount } from '../types.js';

export interface ShimContainerSpec {
  name: string;
  attempt: number;
  argv: string[];
  env: [string, string][];
  workingDir: string;
  mounts: Mount[];
  tty: boolean;
  stdin: boolean;
  logPath: string;
  /** `cgroup.procs` files the container's process joins before exec (may be empty). */
  cgroupProcs: string[];
  /** The container's memory cgroup `memory.oom_control`, to tell an OOM kill from a plain SIGKILL. */
  oomControl: string | null;
  /** Capability numbers kept in the bounding set. */
  keepCaps: number[];
}

export interface ShimContainerState {
  name: string;
  attempt: number;
  /** PID inside the pod's PID namespace. */
  pid: number;
  /** The same process's PID on the host (for nsenter). */
  hostPid: number;
  startedAt: string;
  state: 'running' | 'exited';
  finishedAt?: string;
  exitCode?: number;
  signal?: number | null;
  oomKilled?: boolean;
}

export type ShimRequest =
  | { op: 'start'; spec: ShimContainerSpec }
  | { op: 'stop'; name: string; grace: number }
  | { op: 'kill'; name: string }
  | { op: 'states' };

export interface ShimReply {
  id: number;
  ok: boolean;
  error?: string;
  state?: ShimContainerState;
  states?: ShimContainerState[];
}

export interface ShimExitEvent {
  event: 'exit';
  state: ShimContainerState;
}

/** What the shim writes to `shim.status` once it is ready or has failed to build the sandbox. */
export type ShimStatus = { state: 'ready'; hostPid: number; readyAt: string } | { state: 'failed'; error: string };
