// What the node's streaming server needs from the agent, and its options.

import type { Runtime } from '../runtime/types.js';

export interface ResolvedContainer {
  sandboxId: string;
  /** The container's name ('' when resolving a pod for port-forward). */
  containerName: string;
  podUid?: string;
  /**
   * The attempt whose log `kubectl logs` shows: the running one, or the one that ended last
   * while the container waits to restart. Undefined when no attempt has started yet.
   */
  attempt?: number;
  /** The attempt `kubectl logs --previous` shows (the pod's lastState.terminated), if any. */
  previousAttempt?: number;
  /** Why the container has not started (ContainerCreating, CreateContainerError…), for messages. */
  waitingReason?: string;
}

/**
 * Maps an API address to the runtime's handles. `container` is undefined for port-forward,
 * which needs only the pod's sandbox. Undefined when this node has no such pod/container.
 */
export type ContainerResolver = (namespace: string, pod: string, container: string | undefined) => ResolvedContainer | undefined;

export interface StreamingServerOptions {
  /** The bearer token the API server presents. */
  token: string;
  /** PEM serving certificate (must cover 127.0.0.1) and key. */
  cert: string;
  key: string;
  runtime: Pick<Runtime, 'exec' | 'dial' | 'logPath' | 'containerState'>;
  resolve: ContainerResolver;
  /** Loopback only; defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0 (a free port). */
  port?: number;
  /** Test-only: how often log follow re-checks without a change notification. */
  logPollMs?: number;
}

export interface StreamingServer {
  port: number;
  close(): Promise<void>;
}
