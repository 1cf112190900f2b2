// The container runtime seam of the node agent (a small CRI): the agent decides what should
// run; a runtime makes it so. Two implementations: `process` (host processes in Linux
// namespaces, src/node/runtime/process/) and `simulated` (no processes, the kwok model,
// src/node/runtime/simulated/). Neither imports the agent.

import type { Duplex, Readable, Writable } from 'node:stream';

export interface Mount {
  /** Absolute path on the host (a volume directory, a file for subPath or a projected file). */
  hostPath: string;
  /** Absolute path inside the container's filesystem. */
  containerPath: string;
  readOnly: boolean;
}

export interface ResourceLimits {
  memoryBytes?: number;
  /** CPU limit in millicores. */
  cpuMillis?: number;
  pids?: number;
}

export interface SandboxConfig {
  podUid: string;
  namespace: string;
  name: string;
  /** The pod's hostname (spec.hostname or the pod name; the FQDN with setHostnameAsFQDN). */
  hostname: string;
  /** Contents of the pod's /etc/hosts and /etc/resolv.conf, written by the agent. */
  hostsFile: string;
  /**
   * When set, the hosts file is made from the pod IP once the runtime has allocated it (the
   * kubelet writes /etc/hosts after the sandbox exists); it replaces `hostsFile`.
   */
  hostsFileFor?: (podIP: string) => string;
  resolvConf: string;
  /** Pod-level limits (sum of containers'); best effort where cgroups are unavailable. */
  limits?: ResourceLimits;
  /** The pod's annotations: the simulated runtime reads its behaviour from them. */
  annotations: Record<string, string>;
}

export interface Sandbox {
  id: string;
  podUid: string;
  namespace: string;
  name: string;
  /** The pod IP, from the pod CIDR (also for simulated pods, which get no traffic). */
  ip: string;
  createdAt: Date;
}

export interface ContainerConfig {
  name: string;
  /** Resolved argv: command + args after $(VAR) expansion; argv[0] is looked up in the sandbox's PATH. */
  argv: string[];
  /** Ordered environment, after valueFrom/envFrom resolution and $(VAR) expansion. */
  env: [string, string][];
  /** Defaults to "/" as in a container. */
  workingDir: string;
  mounts: Mount[];
  tty: boolean;
  stdin: boolean;
  stdinOnce: boolean;
  limits?: ResourceLimits;
  /** Which attempt this is (0 for the first start); logs of the previous one stay readable. */
  attempt: number;
  /** A (non-sidecar) init container, which runs to completion: a simulated runtime completes it. */
  init?: boolean;
}

export type ContainerState =
  | { state: 'running'; containerId: string; startedAt: Date }
  | {
      state: 'exited';
      containerId: string;
      startedAt: Date;
      finishedAt: Date;
      exitCode: number;
      /** Upstream's terminated reasons: Completed (0), Error (non-zero), OOMKilled. */
      reason: 'Completed' | 'Error' | 'OOMKilled';
      signal?: number;
    };

export interface ExecIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** Terminal size changes (from kubectl's resize channel). */
  onResize?(listener: (size: { width: number; height: number }) => void): void;
}

export interface ContainerExit {
  sandboxId: string;
  containerName: string;
  state: ContainerState & { state: 'exited' };
}

export interface Runtime {
  readonly name: 'process' | 'simulated';
  /** Node-level setup (bridge, routes, cgroup root) and re-attachment to surviving sandboxes. */
  start(): Promise<void>;
  /** Stops watching processes; does NOT stop pods (the agent does that first on a clean shutdown). */
  close(): Promise<void>;
  /** Sandboxes that exist now, including ones that survived a restart of ordinal. */
  listSandboxes(): Sandbox[];
  runSandbox(cfg: SandboxConfig): Promise<Sandbox>;
  /** Kills whatever still runs, then removes the sandbox's namespaces, interfaces, mounts and files. */
  removeSandbox(sandboxId: string): Promise<void>;
  startContainer(sandboxId: string, c: ContainerConfig): Promise<ContainerState>;
  /** Current state of a container's latest attempt, or undefined if never started. */
  containerState(sandboxId: string, containerName: string): ContainerState | undefined;
  /** SIGTERM, then SIGKILL after graceSeconds; resolves once the process is gone. */
  stopContainer(sandboxId: string, containerName: string, graceSeconds: number): Promise<void>;
  /** Called whenever a container's process exits (the agent's pod workers react to it). */
  onContainerExit(listener: (e: ContainerExit) => void): void;
  /** Runs argv in the container's namespaces and root; resolves to the exit code. */
  exec(sandboxId: string, containerName: string, argv: string[], io: ExecIO): Promise<number>;
  /** A TCP connection to `port` opened from inside the pod's network namespace (probes, port-forward). */
  dial(sandboxId: string, port: number, host?: string): Promise<Duplex>;
  /**
   * The container's log file for an attempt, in the CRI log format the kubelet uses:
   * one line per chunk, `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <text>`.
   */
  logPath(sandboxId: string, containerName: string, attempt: number): string;
  /**
   * Runtimes without real processes (simulated) decide probe outcomes instead of running
   * them: the agent calls this in place of exec/dial for probes, and runs no hooks. A
   * container with no readiness probe is still Ready only if this answers true for 'readiness'.
   */
  simulateProbe?(sandboxId: string, containerName: string, kind: 'startup' | 'readiness' | 'liveness'): boolean;
  /**
   * The sandbox's network namespace (a path for `nsenter --net=`), where the agent loads the
   * pod's ClusterIP rules; undefined when the sandbox has none of its own (simulated).
   */
  netnsPath?(sandboxId: string): string | undefined;
}
