// One pod's worker, as the kubelet's pod worker plus its SyncPod: level-triggered, one sync at
// a time, re-run whenever the pod, a container or a timer changes. A sync sets up volumes and
// the sandbox, runs init containers in order to completion, starts and restarts the main
// containers under restartPolicy and CrashLoopBackOff, and writes the status when it changed.
// Deletion (deletionTimestamp) runs preStop, stops every container within the grace period,
// removes the sandbox and deletes the pod object.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { StatusError } from '../../api/errors.js';
import { deepEqual, isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import type { Sandbox } from '../runtime/types.js';
import { ContainerLifecycle } from './container-lifecycle.js';
import { newRecord, type ContainerRecord } from './container-record.js';
import type { DownwardContext } from './env/downward-api.js';
import { admissionRefusal, type Refusal } from './pod-admission.js';
import { hostsFileContent, type HostAlias } from './pod-files/hosts-file.js';
import { podHostname } from './pod-files/pod-hostname.js';
import { resolvConfContent } from './pod-files/resolv-conf.js';
import { buildPodStatus } from './status/pod-status.js';
import { podDirectory, resolvePodVolumes, VolumeSetupError, type ResolvedVolume } from './volumes/pod-volumes.js';
import { podLimits } from './container-config.js';
import type { WorkerDeps } from './worker-deps.js';

type J = JsonObject;
const PODS = mustFindResource('', 'pods');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** How often the same FailedMount/FailedCreatePodSandBox warning may repeat. */
const WARNING_REPEAT_MS = 60_000;

export class PodWorker {
  readonly uid: string;
  pod: KObject;
  sandbox: Sandbox | undefined;
  volumes: Map<string, ResolvedVolume> | undefined;
  readonly records = new Map<string, ContainerRecord>();
  private readonly lifecycle: ContainerLifecycle;
  private rejected: Refusal | undefined;
  private syncing: Promise<void> | undefined;
  private again = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private finished = false;
  private stopping = false;
  /** Set once the pod is being torn down for good: stopped containers make it terminal. */
  private terminal = false;
  private readonly warned = new Map<string, { message: string; at: number }>();

  constructor(readonly deps: WorkerDeps, pod: KObject, existing?: Sandbox) {
    this.uid = pod.metadata.uid ?? '';
    this.pod = pod;
    this.sandbox = existing;
    this.lifecycle = new ContainerLifecycle(this);
    this.initRecords(pod, existing !== undefined);
  }

  get spec(): J {
    return isPlainObject(this.pod.spec) ? this.pod.spec : {};
  }

  get description(): string {
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
  }

  downwardContext(): DownwardContext {
    return { podIPs: this.sandbox ? [this.sandbox.ip] : [], hostIPs: [this.deps.nodeIP], nodeAllocatable: this.deps.nodeAllocatable };
  }

  /** Records for every container; restart counts carry over from the pod's status. */
  private initRecords(pod: KObject, reattached: boolean): void {
    const status = isPlainObject(pod.status) ? pod.status : {};
    const prior = (list: unknown, name: unknown) => objects(list).find((s) => s.name === name);
    for (const [kind, list, statuses] of [
      ['init', this.spec.initContainers, status.initContainerStatuses],
      ['main', this.spec.containers, status.containerStatuses],
    ] as const) {
      for (const c of objects(list)) {
        const s = prior(statuses, c.name);
        const count = typeof s?.restartCount === 'number' ? s.restartCount : 0;
        // Without its sandbox, a container that ran before comes back as a restart (node reboot).
        const ranBefore = !reattached && typeof s?.containerID === 'string' && s.containerID !== '';
        const r = newRecord(str(c.name), kind === 'init', kind === 'init' && c.restartPolicy === 'Always', count, ranBefore);
        if (reattached && this.sandbox) {
          r.state = this.deps.runtime.containerState(this.sandbox.id, r.name);
          if (r.state) r.attempt = count;
        }
        this.records.set(`${kind}:${c.name}`, r);
      }
    }
    if (reattached) this.lifecycle.reattachProbes();
  }

  containerSpec(key: string): J | undefined {
    const [kind, name] = key.split(':', 2) as [string, string];
    return objects(kind === 'init' ? this.spec.initContainers : this.spec.containers).find((c) => c.name === name);
  }

  /** A newer pod object from the informer. */
  update(pod: KObject): void {
    if (newerOrEqual(pod, this.pod)) this.pod = pod;
    this.kick();
  }

  containerExited(containerName: string): void {
    for (const r of this.records.values()) if (r.name === containerName) this.lifecycle.stopProbes(r);
    this.kick();
  }

  /** Runs sync now or right after the current one; resolves when the worker is idle. */
  kick(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        try {
          await this.sync();
        } catch (err) {
          this.deps.log(`node agent: syncing pod ${this.pod.metadata.namespace}/${this.pod.metadata.name}: ${(err as Error).stack ?? err}`);
          this.kickLater(this.deps.retryMs);
        }
      } while (this.again && !this.finished);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  kickLater(ms: number): void {
    if (this.finished || this.stopping) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.kick();
    }, Math.max(0, ms));
    t.unref?.();
    this.timers.add(t);
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(this.pod, type, reason, message);
  }

  /** A warning that would repeat on every retry: recorded when new, and then once a minute. */
  warnThrottled(reason: string, message: string): void {
    const now = Date.now();
    const prev = this.warned.get(reason);
    if (prev && prev.message === message && now - prev.at < WARNING_REPEAT_MS) return;
    this.warned.set(reason, { message, at: now });
    this.event('Warning', reason, message);
  }

  private async sync(): Promise<void> {
    if (this.finished || this.stopping) return;
    const pod = this.pod;
    if (pod.metadata.deletionTimestamp) return this.terminate();
    const phase = isPlainObject(pod.status) ? str(pod.status.phase) : '';
    if (!this.rejected && phase !== 'Failed' && phase !== 'Succeeded') {
      this.rejected = admissionRefusal(pod);
      if (this.rejected) this.event('Warning', this.rejected.reason, this.rejected.message);
    }
    if (this.rejected) return this.writeStatus();
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod keeps no processes; its sandbox (and logs) stay until it is deleted.
      await this.lifecycle.stopAll(0, false);
      return this.writeStatus();
    }
    if (!(await this.ensureSandbox(pod))) return this.writeStatus();
    this.lifecycle.refreshStates();
    const init = await this.lifecycle.runInitContainers();
    if (init === 'done') await this.lifecycle.runMainContainers();
    this.lifecycle.refreshStates();
    const status = this.currentStatus();
    if (status.phase === 'Succeeded' || status.phase === 'Failed') await this.lifecycle.stopAll(0, false);
    await this.writeStatus();
  }

  private async ensureSandbox(pod: KObject): Promise<boolean> {
    const d = this.deps;
    try {
      // Volumes first, as the kubelet waits for them before it creates the sandbox.
      if (!this.volumes || !this.sandbox) this.volumes = await resolvePodVolumes(d.objects, pod, d.dataDir, this.downwardContext());
    } catch (err) {
      if (!(err instanceof VolumeSetupError)) throw err;
      this.warnThrottled('FailedMount', err.message);
      this.kickLater(d.retryMs);
      return false;
    }
    if (this.sandbox) return true;
    try {
      const names = podHostname(pod, d.clusterDomain);
      const aliases: HostAlias[] = objects(this.spec.hostAliases).map((a) => ({ ip: str(a.ip), hostnames: Array.isArray(a.hostnames) ? a.hostnames.map(String) : [] }));
      this.sandbox = await d.runtime.runSandbox({
        podUid: this.uid,
        namespace: pod.metadata.namespace ?? 'default',
        name: pod.metadata.name ?? '',
        hostname: names.kernelHostname,
        // The pod IP is not known before the sandbox exists: the full file is mounted per container.
        hostsFile: hostsFileContent([], names.hostname, names.domain, aliases),
        resolvConf: resolvConfContent(pod, d.ranges.clusterDNS, d.clusterDomain),
        limits: podLimits(pod),
        annotations: pod.metadata.annotations ?? {},
      });
      await this.writeHostsFile(names.hostname, names.domain, aliases);
      // Downward API files may name the pod IP, known only now.
      this.volumes = await resolvePodVolumes(d.objects, pod, d.dataDir, this.downwardContext());
    } catch (err) {
      if (err instanceof VolumeSetupError) {
        this.warnThrottled('FailedMount', err.message);
      } else {
        this.warnThrottled('FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
      }
      this.kickLater(d.retryMs);
      return false;
    }
    return true;
  }

  hostsFilePath(): string {
    return path.join(podDirectory(this.deps.dataDir, this.uid), 'etc-hosts');
  }

  private async writeHostsFile(hostname: string, domain: string, aliases: HostAlias[]): Promise<void> {
    const file = this.hostsFilePath();
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, hostsFileContent(this.sandbox ? [this.sandbox.ip] : [], hostname, domain, aliases), { mode: 0o644 });
  }

  currentStatus(): J {
    return buildPodStatus(this.pod, {
      podIP: this.sandbox?.ip,
      hostIP: this.deps.nodeIP,
      sandboxReady: this.sandbox !== undefined,
      records: this.records,
      rejected: this.rejected,
      terminal: this.terminal,
      containerIdScheme: this.deps.containerIdScheme,
      now: this.deps.now(),
    });
  }

  /** Writes the status through the status subresource when it differs from the stored one. */
  async writeStatus(): Promise<void> {
    for (let i = 0; i < 3 && !this.stopping; i++) {
      const latest = this.deps.currentPod(this.uid);
      if (latest && newerOrEqual(latest, this.pod)) this.pod = latest;
      const status = this.currentStatus();
      if (deepEqual(status, this.pod.status)) return;
      try {
        this.pod = await this.deps.client.updateStatus(PODS, this.pod.metadata.namespace, { ...this.pod, status });
        return;
      } catch (err) {
        if (!(err instanceof StatusError)) throw err;
        if (err.code === 404) return;
        if (err.code !== 409) throw err;
        const fresh = await this.deps.client.get(PODS, this.pod.metadata.namespace, this.pod.metadata.name ?? '').catch(() => undefined);
        if (!fresh || fresh.metadata.uid !== this.uid) return;
        this.pod = fresh;
      }
    }
  }

  /** Graceful deletion: preStop, SIGTERM, grace period, SIGKILL; sandbox removed; pod object deleted. */
  private async terminate(): Promise<void> {
    const meta = this.pod.metadata;
    const grace = typeof meta.deletionGracePeriodSeconds === 'number'
      ? meta.deletionGracePeriodSeconds
      : typeof this.spec.terminationGracePeriodSeconds === 'number' ? this.spec.terminationGracePeriodSeconds : 30;
    this.terminal = true;
    await this.lifecycle.stopAll(grace, true);
    this.lifecycle.refreshStates();
    await this.writeStatus().catch((err) => this.deps.log(`node agent: final status of ${meta.namespace}/${meta.name}: ${(err as Error).message}`));
    await this.removeSandbox();
    try {
      await this.deps.client.delete(PODS, meta.namespace, meta.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (err) {
      if (!(err instanceof StatusError) || (err.code !== 404 && err.code !== 409)) throw err;
    }
    await this.finish();
  }

  private async removeSandbox(): Promise<void> {
    if (!this.sandbox) return;
    const id = this.sandbox.id;
    this.sandbox = undefined;
    await this.deps.runtime.removeSandbox(id);
  }

  private async finish(): Promise<void> {
    this.finished = true;
    this.clearTimers();
    this.deps.backoff.forgetPrefix(`${this.uid}/`);
    await fs.rm(podDirectory(this.deps.dataDir, this.uid), { recursive: true, force: true }).catch(() => undefined);
    this.deps.onGone(this.uid);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.lifecycle.stopAllProbes();
  }

  /** The pod object is gone (force deletion, or deleted after it finished): tear down, no API writes. */
  async podDeleted(): Promise<void> {
    this.stopping = true;
    await this.syncing;
    if (this.finished) return;
    this.clearTimers();
    await this.lifecycle.stopAll(0, false);
    await this.removeSandbox();
    await this.finish();
  }

  /** Agent shutdown: stop every container gracefully and remove the sandbox; the pod object stays. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.syncing;
    this.clearTimers();
    if (this.finished) return;
    const grace = typeof this.spec.terminationGracePeriodSeconds === 'number' ? this.spec.terminationGracePeriodSeconds : 30;
    await this.lifecycle.stopAll(grace, true);
    await this.removeSandbox();
    this.finished = true;
  }
}

/** Whether `a` is at least as new as `b` (resourceVersions compared as numbers where they are). */
export function newerOrEqual(a: KObject, b: KObject): boolean {
  if (a.metadata.uid !== b.metadata.uid) return false;
  const ra = a.metadata.resourceVersion ?? '';
  const rb = b.metadata.resourceVersion ?? '';
  if (/^\d+$/.test(ra) && /^\d+$/.test(rb)) return BigInt(ra) >= BigInt(rb);
  return true;
}
