// The containers of one pod worker: starting them (config, events, postStart), init ordering,
// restarts under restartPolicy with CrashLoopBackOff, probes and their verdicts, and stopping
// them (preStop, then the runtime's SIGTERM → grace → SIGKILL).

import { isPlainObject, type JsonObject } from '../../api/object.js';
import type { Mount } from '../runtime/types.js';
import { goDuration } from './crash-loop-backoff.js';
import { buildContainerConfig } from './container-config.js';
import { exitedState, isRunning, type ContainerRecord } from './container-record.js';
import { ContainerConfigError } from './env/container-env.js';
import { runHook } from './lifecycle/hooks.js';
import { runAction, type ActionTarget } from './probes/probe-actions.js';
import { ProbeWorker, type ProbeKind } from './probes/probe-worker.js';
import { VolumeSetupError } from './volumes/pod-volumes.js';
import type { PodWorker } from './pod-worker.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const KINDS: ProbeKind[] = ['startup', 'readiness', 'liveness'];
const kindTitle = (k: ProbeKind) => k.charAt(0).toUpperCase() + k.slice(1);

export class ContainerLifecycle {
  private readonly probes = new Map<ContainerRecord, ProbeWorker[]>();

  constructor(private readonly w: PodWorker) {}

  private get deps() {
    return this.w.deps;
  }

  private keyOf(r: ContainerRecord): string {
    return `${r.init ? 'init' : 'main'}:${r.name}`;
  }

  private target(r: ContainerRecord, spec: J): ActionTarget | undefined {
    if (!this.w.sandbox) return undefined;
    return { runtime: this.deps.runtime, sandboxId: this.w.sandbox.id, containerName: r.name, podIP: this.w.sandbox.ip, container: spec, ranges: this.deps.ranges };
  }

  /** Latest runtime state of every started container; started/ready follow it and the probes. */
  refreshStates(): void {
    const sb = this.w.sandbox;
    const sim = this.deps.runtime.simulateProbe?.bind(this.deps.runtime);
    for (const [key, r] of this.w.records) {
      if (sb && r.attempt >= 0) r.state = this.deps.runtime.containerState(sb.id, r.name) ?? r.state;
      const spec = this.w.containerSpec(key) ?? {};
      if (!isRunning(r)) {
        r.started = false;
        r.ready = false;
        continue;
      }
      const workers = this.probes.get(r) ?? [];
      const startup = workers.find((p) => p.kind === 'startup');
      r.started = isPlainObject(spec.startupProbe) ? (startup ? startup.verdict : r.started) : true;
      if (r.init && !r.sidecar) {
        r.ready = false;
        continue;
      }
      const readiness = workers.find((p) => p.kind === 'readiness');
      if (isPlainObject(spec.readinessProbe)) r.ready = r.started && (readiness?.verdict ?? false);
      else r.ready = r.started && (sim && sb ? sim(sb.id, r.name, 'readiness') : true);
    }
  }

  /** Init containers one by one; 'done' once all have completed (sidecars: started). */
  async runInitContainers(): Promise<'done' | 'waiting' | 'failed'> {
    const policy = str(this.w.spec.restartPolicy) || 'Always';
    for (const [key, r] of this.w.records) {
      if (!r.init) continue;
      const spec = this.w.containerSpec(key)!;
      const exited = exitedState(r);
      if (!r.state || r.waiting) {
        if (!exited) {
          await this.start(r, spec);
          return 'waiting';
        }
      }
      if (isRunning(r)) {
        if (r.sidecar && r.started) continue;
        return 'waiting';
      }
      if (exited && exited.exitCode === 0 && !r.sidecar) continue;
      if (exited && policy === 'Never' && !r.sidecar) return 'failed';
      if (exited) await this.restartWithBackoff(r, spec);
      return 'waiting';
    }
    return 'done';
  }

  async runMainContainers(): Promise<void> {
    const policy = str(this.w.spec.restartPolicy) || 'Always';
    for (const [key, r] of this.w.records) {
      if (r.init) continue;
      const spec = this.w.containerSpec(key)!;
      const exited = exitedState(r);
      if (!r.state) await this.start(r, spec);
      else if (exited && (policy === 'Always' || (policy === 'OnFailure' && exited.exitCode !== 0))) await this.restartWithBackoff(r, spec);
    }
  }

  /** Restarts an exited container, or keeps it waiting in CrashLoopBackOff until its delay ends. */
  private async restartWithBackoff(r: ContainerRecord, spec: J): Promise<void> {
    const exited = exitedState(r)!;
    const key = `${this.w.uid}/${r.name}`;
    const finished = exited.finishedAt.getTime();
    const wait = this.deps.backoff.remaining(key, finished, Date.now());
    if (wait > 0) {
      r.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(this.deps.backoff.current(key))} restarting failed container=${r.name} pod=${this.w.description}`,
      };
      if (r.backoffReported !== finished) {
        r.backoffReported = finished;
        this.w.event('Warning', 'BackOff', `Back-off restarting failed container ${r.name} in pod ${this.w.description}`);
      }
      this.w.kickLater(wait + 5);
      return;
    }
    if (r.notBefore && Date.now() < r.notBefore) return;
    this.deps.backoff.next(key, finished);
    await this.start(r, spec);
  }

  private async start(r: ContainerRecord, spec: J): Promise<void> {
    const sb = this.w.sandbox;
    if (!sb || !this.w.volumes) return;
    if (r.notBefore && Date.now() < r.notBefore) return;
    const attempt = r.attempt >= 0 ? r.attempt + 1 : r.nextAttempt;
    let cfg;
    try {
      cfg = await buildContainerConfig(this.deps, this.w.pod, spec, this.w.volumes, this.w.downwardContext(), attempt, r.init && !r.sidecar);
    } catch (err) {
      if (!(err instanceof ContainerConfigError) && !(err instanceof VolumeSetupError)) throw err;
      r.waiting = { reason: 'CreateContainerConfigError', message: err.message };
      r.notBefore = Date.now() + this.deps.retryMs;
      this.w.warnThrottled('Failed', `Error: ${err.message}`);
      this.w.kickLater(this.deps.retryMs);
      return;
    }
    cfg.mounts = withHostsFile(cfg.mounts, this.w.hostsFilePath());
    this.w.event('Normal', 'Pulled', `Container image "${str(spec.image)}" already present on machine`);
    let state;
    try {
      state = await this.deps.runtime.startContainer(sb.id, cfg);
    } catch (err) {
      r.waiting = { reason: 'RunContainerError', message: (err as Error).message };
      r.notBefore = Date.now() + this.deps.retryMs;
      this.w.event('Warning', 'Failed', `Error: ${(err as Error).message}`);
      this.w.kickLater(this.deps.retryMs);
      return;
    }
    const previous = exitedState(r);
    if (previous) r.lastTerminated = previous;
    r.attempt = attempt;
    r.nextAttempt = attempt + 1;
    r.state = state;
    r.waiting = undefined;
    r.notBefore = undefined;
    r.started = false;
    r.ready = false;
    this.w.event('Normal', 'Created', `Created container: ${r.name}`);
    this.w.event('Normal', 'Started', `Started container ${r.name}`);
    if (state.state !== 'running') return;
    this.startProbes(r, spec);
    const postStart = isPlainObject(spec.lifecycle) && isPlainObject(spec.lifecycle.postStart) ? spec.lifecycle.postStart : undefined;
    const t = this.target(r, spec);
    if (postStart && t) {
      const failure = await runHook(t, postStart, this.w.description, this.graceSeconds() * 1000);
      if (failure) {
        this.deps.log(`node agent: ${failure}`);
        this.w.event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
        await this.kill(r, spec, this.graceSeconds(), false);
      }
    }
  }

  private graceSeconds(): number {
    const g = this.w.spec.terminationGracePeriodSeconds;
    return typeof g === 'number' ? g : 30;
  }

  private startProbes(r: ContainerRecord, spec: J): void {
    this.stopProbes(r);
    const sb = this.w.sandbox;
    const state = r.state;
    if (!sb || state?.state !== 'running' || (r.init && !r.sidecar)) return;
    const sim = this.deps.runtime.simulateProbe?.bind(this.deps.runtime);
    const workers: ProbeWorker[] = [];
    for (const kind of KINDS) {
      const probe = spec[`${kind}Probe`];
      if (!isPlainObject(probe)) continue;
      const t = this.target(r, spec)!;
      const worker = new ProbeWorker(kind, probe, state.startedAt, {
        run: (timeoutMs) =>
          sim ? Promise.resolve(sim(sb.id, r.name, kind) ? { ok: true as const } : { ok: false as const, message: 'simulated probe failure' }) : runAction(t, probe, timeoutMs),
        gate: () => r.started,
        onFailure: (message) => this.w.event('Warning', 'Unhealthy', `${kindTitle(kind)} probe failed: ${message}`),
        onWarning: (message) => this.w.event('Warning', 'ProbeWarning', `${kindTitle(kind)} probe warning: ${message}`),
        onVerdict: (ok) => void this.verdict(r, spec, probe, kind, ok),
      });
      workers.push(worker);
    }
    this.probes.set(r, workers);
    for (const p of workers) p.start();
  }

  private async verdict(r: ContainerRecord, spec: J, probe: J, kind: ProbeKind, ok: boolean): Promise<void> {
    if ((kind === 'liveness' || kind === 'startup') && !ok && isRunning(r)) {
      this.w.event('Normal', 'Killing', `Container ${r.name} failed ${kind} probe, will be restarted`);
      const grace = typeof probe.terminationGracePeriodSeconds === 'number' ? probe.terminationGracePeriodSeconds : this.graceSeconds();
      await this.kill(r, spec, grace, true, true);
    }
    void this.w.kick();
  }

  /** Probes of containers that were already running when the agent (re)attached. */
  reattachProbes(): void {
    for (const [key, r] of this.w.records) if (isRunning(r)) this.startProbes(r, this.w.containerSpec(key) ?? {});
  }

  stopProbes(r: ContainerRecord): void {
    for (const p of this.probes.get(r) ?? []) p.stop();
    this.probes.delete(r);
  }

  stopAllProbes(): void {
    for (const r of [...this.probes.keys()]) this.stopProbes(r);
  }

  /** preStop (within the grace period), then the runtime's SIGTERM → grace → SIGKILL. */
  private async kill(r: ContainerRecord, spec: J, graceSeconds: number, withPreStop: boolean, quiet = false): Promise<void> {
    const sb = this.w.sandbox;
    if (!sb) return;
    this.stopProbes(r);
    if (!quiet) this.w.event('Normal', 'Killing', `Stopping container ${r.name}`);
    const began = Date.now();
    const preStop = isPlainObject(spec.lifecycle) && isPlainObject(spec.lifecycle.preStop) ? spec.lifecycle.preStop : undefined;
    const t = this.target(r, spec);
    if (withPreStop && preStop && t && graceSeconds > 0) {
      const failure = await runHook(t, preStop, this.w.description, graceSeconds * 1000);
      if (failure) this.w.event('Warning', 'FailedPreStopHook', failure);
    }
    const used = (Date.now() - began) / 1000;
    // As the kubelet: what preStop left of the grace period, but at least 2 s once preStop ran.
    let remaining = Math.max(0, graceSeconds - used);
    if (withPreStop && preStop && graceSeconds > 0) remaining = Math.max(2, remaining);
    await this.deps.runtime.stopContainer(sb.id, r.name, Math.ceil(remaining));
    r.state = this.deps.runtime.containerState(sb.id, r.name) ?? r.state;
  }

  /** Stops every running container: main containers together, then sidecars in reverse order. */
  async stopAll(graceSeconds: number, withPreStop: boolean): Promise<void> {
    this.stopAllProbes();
    const running = [...this.w.records.entries()].filter(([, r]) => isRunning(r));
    const mains = running.filter(([, r]) => !r.init);
    const inits = running.filter(([, r]) => r.init).reverse();
    await Promise.all(mains.map(([key, r]) => this.kill(r, this.w.containerSpec(key) ?? {}, graceSeconds, withPreStop)));
    for (const [key, r] of inits) await this.kill(r, this.w.containerSpec(key) ?? {}, graceSeconds, withPreStop);
    for (const [, r] of this.w.records) {
      // A container that waits for a restart stays down: its last exit is what the status shows.
      if (r.waiting?.reason === 'CrashLoopBackOff') r.waiting = undefined;
    }
  }
}

/** The kubelet mounts its own /etc/hosts into every container that does not mount one itself. */
function withHostsFile(mounts: Mount[], hostsFile: string): Mount[] {
  if (mounts.some((m) => m.containerPath === '/etc/hosts')) return mounts;
  return [...mounts, { hostPath: hostsFile, containerPath: '/etc/hosts', readOnly: false }];
}
