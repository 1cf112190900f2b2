/**
 * The `simulated` runtime, in the kwok model: no processes, no namespaces, no files. Sandboxes
 * get an address from the pod CIDR (EndpointSlices refuse loopback; no traffic is ever sent
 * to one), containers "run" after a short delay, init containers complete, and probes pass.
 * It is for tests and benchmarks at scale (`ordinal up --runtime simulated`).
 *
 * Pod annotations change what a simulated pod does:
 *
 * - `ordinal.dev/simulate-never-ready: "true"`: the containers run but never become Ready
 *   (readiness, with or without a readiness probe, always fails); liveness and startup pass.
 * - `ordinal.dev/simulate-crash: "true"`: every main container exits with code 1 shortly
 *   after each start, so under restartPolicy Always/OnFailure the pod goes through
 *   CrashLoopBackOff with a growing restart count.
 * - `ordinal.dev/simulate-exit-code: "N"`: every main container exits with code N shortly
 *   after each start (0 completes it: reason Completed; anything else: reason Error).
 *
 * Stopping a container ends it with code 143 (SIGTERM), reason Error. `kubectl exec`,
 * `attach` and `port-forward` are refused with a clear error: there is nothing to enter.
 */

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { ContainerConfig, ContainerExit, ContainerState, ExecIO, Runtime, Sandbox, SandboxConfig } from '../types.js';
import { Ipam } from './ipam.js';

export const NEVER_READY_ANNOTATION = 'ordinal.dev/simulate-never-ready';
export const CRASH_ANNOTATION = 'ordinal.dev/simulate-crash';
export const EXIT_CODE_ANNOTATION = 'ordinal.dev/simulate-exit-code';

export interface SimulatedRuntimeOptions {
  /** Where pod addresses come from; default 10.244.0.0/16. */
  podCIDR?: string;
  /** Delay before a sandbox exists (default 20 ms). */
  sandboxDelayMs?: number;
  /** Delay before a started container runs (default 50 ms). */
  startDelayMs?: number;
  /** How long an init container, or one told to crash or exit, runs (default 200 ms). */
  runMs?: number;
  /** Directory named by logPath (no log is written); default /nonexistent. */
  logDir?: string;
}

interface SimContainer {
  state: ContainerState;
  timer?: NodeJS.Timeout;
}

interface SimSandbox {
  sandbox: Sandbox;
  annotations: Record<string, string>;
  containers: Map<string, SimContainer>;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SimulatedRuntime implements Runtime {
  readonly name = 'simulated' as const;
  private readonly ipam: Ipam;
  private readonly sandboxes = new Map<string, SimSandbox>();
  private readonly listeners: ((e: ContainerExit) => void)[] = [];
  private closed = false;

  constructor(private readonly opts: SimulatedRuntimeOptions = {}) {
    this.ipam = new Ipam(opts.podCIDR ?? '10.244.0.0/16');
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const sb of this.sandboxes.values()) for (const c of sb.containers.values()) if (c.timer) clearTimeout(c.timer);
  }

  listSandboxes(): Sandbox[] {
    return [...this.sandboxes.values()].map((s) => s.sandbox);
  }

  async runSandbox(cfg: SandboxConfig): Promise<Sandbox> {
    await delay(this.opts.sandboxDelayMs ?? 20);
    const sandbox: Sandbox = { id: randomBytes(32).toString('hex'), podUid: cfg.podUid, namespace: cfg.namespace, name: cfg.name, ip: this.ipam.allocate(), createdAt: new Date() };
    this.sandboxes.set(sandbox.id, { sandbox, annotations: { ...cfg.annotations }, containers: new Map() });
    return sandbox;
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return;
    for (const c of sb.containers.values()) if (c.timer) clearTimeout(c.timer);
    this.sandboxes.delete(sandboxId);
    this.ipam.release(sb.sandbox.ip);
  }

  private must(sandboxId: string): SimSandbox {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) throw new Error(`sandbox ${sandboxId} not found`);
    return sb;
  }

  /** The exit code a container is told to end with, if any. */
  private plannedExit(sb: SimSandbox, c: ContainerConfig): number | undefined {
    if (c.init) return 0;
    if (sb.annotations[CRASH_ANNOTATION] === 'true') return 1;
    const code = sb.annotations[EXIT_CODE_ANNOTATION];
    if (code !== undefined && /^\d+$/.test(code)) return Number(code);
    return undefined;
  }

  async startContainer(sandboxId: string, c: ContainerConfig): Promise<ContainerState> {
    const sb = this.must(sandboxId);
    await delay(this.opts.startDelayMs ?? 50);
    if (!this.sandboxes.has(sandboxId)) throw new Error(`sandbox ${sandboxId} was removed`);
    const prev = sb.containers.get(c.name);
    if (prev?.timer) clearTimeout(prev.timer);
    const state: ContainerState = { state: 'running', containerId: randomBytes(32).toString('hex'), startedAt: new Date() };
    const rec: SimContainer = { state };
    sb.containers.set(c.name, rec);
    const exitCode = this.plannedExit(sb, c);
    if (exitCode !== undefined) {
      rec.timer = setTimeout(() => this.exit(sandboxId, c.name, rec, exitCode), this.opts.runMs ?? 200);
      rec.timer.unref?.();
    }
    return state;
  }

  private exit(sandboxId: string, name: string, rec: SimContainer, exitCode: number): void {
    if (rec.state.state !== 'running' || this.closed) return;
    rec.timer = undefined;
    const exited = {
      state: 'exited' as const,
      containerId: rec.state.containerId,
      startedAt: rec.state.startedAt,
      finishedAt: new Date(),
      exitCode,
      reason: exitCode === 0 ? ('Completed' as const) : ('Error' as const),
    };
    rec.state = exited;
    for (const l of this.listeners) l({ sandboxId, containerName: name, state: exited });
  }

  containerState(sandboxId: string, containerName: string): ContainerState | undefined {
    return this.sandboxes.get(sandboxId)?.containers.get(containerName)?.state;
  }

  async stopContainer(sandboxId: string, containerName: string, _graceSeconds: number): Promise<void> {
    const rec = this.sandboxes.get(sandboxId)?.containers.get(containerName);
    if (!rec || rec.state.state !== 'running') return;
    if (rec.timer) clearTimeout(rec.timer);
    this.exit(sandboxId, containerName, rec, 143);
  }

  onContainerExit(listener: (e: ContainerExit) => void): void {
    this.listeners.push(listener);
  }

  async exec(_sandboxId: string, _containerName: string, _argv: string[], _io: ExecIO): Promise<number> {
    throw new Error('the simulated runtime runs no processes: exec and attach are not available for this pod');
  }

  async dial(_sandboxId: string, _port: number, _host?: string): Promise<Duplex> {
    throw new Error('the simulated runtime runs no processes: nothing listens in this pod');
  }

  logPath(sandboxId: string, containerName: string, attempt: number): string {
    return path.join(this.opts.logDir ?? '/nonexistent', sandboxId, containerName, `${attempt}.log`);
  }

  simulateProbe(sandboxId: string, _containerName: string, kind: 'startup' | 'readiness' | 'liveness'): boolean {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return false;
    if (kind === 'readiness' && sb.annotations[NEVER_READY_ANNOTATION] === 'true') return false;
    return true;
  }

  /** Addresses in use (for benchmarks and tests). */
  get allocatedAddresses(): number {
    return this.ipam.allocated;
  }
}
