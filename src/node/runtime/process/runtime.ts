// The `process` runtime: every pod is a sandbox of Linux namespaces run by a detached shim
// (shim-script.ts), every container a host process the shim starts in the pod's overlay
// root. ordinal talks to shims over unix sockets and reads their state files, so that it
// can crash, restart and re-attach without the pods noticing.

import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { PodNetwork } from './network/index.js';
import { instanceIdFor } from './network/index.js';
import type { ContainerConfig, ContainerExit, ContainerState, ExecIO, Runtime, Sandbox, SandboxConfig } from '../types.js';
import { DEFAULT_CAPABILITY_NUMBERS } from './capabilities.js';
import { Cgroups } from './cgroups.js';
import { execInContainer } from './container-exec.js';
import { isSameProcess, killProcess, waitProcessGone } from './host-process.js';
import { CONTAINER_PATH, findHostTools, type HostTools } from './host-tools.js';
import { unmountUnder } from './mount-table.js';
import { dialInNetns } from './netns-dial.js';
import { containerLogPath, containerSpecPath, runtimeDir, sandboxPaths, sandboxesDir, shimScriptPath, type SandboxPaths } from './paths.js';
import { removeTreeOneFs } from './remove-tree.js';
import { killStrayShims } from './stale-sandboxes.js';
import { readRecord, sandboxOf, writeRecord, type SandboxRecord } from './sandbox-record.js';
import { ShimClient } from './shim-client.js';
import { launchShim } from './shim-launch.js';
import type { ShimContainerSpec, ShimContainerState, ShimExitEvent } from './shim-protocol.js';
import { SHIM_SCRIPT } from './shim-script.js';

export interface ProcessRuntimeOptions {
  dataDir: string;
  network: PodNetwork;
  /** Start-up notices (cgroup limits unavailable, sandboxes re-attached or cleaned). */
  log?: (line: string) => void;
}

interface ContainerEntry {
  state: ContainerState;
  attempt: number;
  hostPid: number;
  env: [string, string][];
}

interface SandboxEntry {
  record: SandboxRecord;
  paths: SandboxPaths;
  client: ShimClient;
  containers: Map<string, ContainerEntry>;
  relays: Set<ChildProcess>;
  /**
   * Exit events that arrived before the start reply was handled (the shim sends the reply
   * first, but both can come in one chunk and the event is dispatched before the awaiting
   * startContainer resumes), keyed by container name and attempt.
   */
  earlyExits: Map<string, ShimExitEvent>;
}

const EXTRA_STOP_WAIT_MS = 5_000;

export class ProcessRuntime implements Runtime {
  readonly name = 'process' as const;
  private readonly dataDir: string;
  private readonly network: PodNetwork;
  private readonly log: (line: string) => void;
  private tools!: HostTools;
  private cgroups!: Cgroups;
  private readonly sandboxes = new Map<string, SandboxEntry>();
  private readonly exitListeners: ((e: ContainerExit) => void)[] = [];
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private closed = false;

  constructor(opts: ProcessRuntimeOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.network = opts.network;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async start(): Promise<void> {
    if (process.getuid?.() !== 0) throw new Error('the process runtime needs root (use --runtime simulated)');
    const tools = findHostTools();
    if ('missing' in tools) throw new Error(`the process runtime needs ${tools.missing.join(', ')} on the host`);
    this.tools = tools;
    await mkdir(runtimeDir(this.dataDir), { recursive: true, mode: 0o700 });
    await mkdir(sandboxesDir(this.dataDir), { recursive: true, mode: 0o700 });
    await writeFile(shimScriptPath(this.dataDir), SHIM_SCRIPT, { mode: 0o600 });
    this.cgroups = Cgroups.detect(instanceIdFor(this.dataDir), this.dataDir);
    if (this.cgroups.message) this.log(`process runtime: ${this.cgroups.message}`);
    await this.network.setUp();

    for (const uid of await readdir(sandboxesDir(this.dataDir))) {
      const paths = sandboxPaths(this.dataDir, uid);
      const record = await readRecord(paths.record);
      if (record?.shim && isSameProcess(record.shim.hostPid, record.shim.startTime)) {
        try {
          await this.attach(record, paths);
          continue;
        } catch (err) {
          this.log(`process runtime: cannot re-attach to sandbox ${uid}: ${(err as Error).message}; removing it`);
        }
      }
      await this.destroy(uid, record);
    }
    await killStrayShims(this.dataDir, new Set(this.sandboxes.keys()));
    await this.network.pruneExcept(this.sandboxes.keys());
    if (this.sandboxes.size > 0) this.log(`process runtime: re-attached to ${this.sandboxes.size} running sandbox(es)`);
  }

  /** Disconnects from the shims (pods keep running). With no sandbox left, also removes the pod network. */
  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.sandboxes.values()) {
      e.client.close();
      for (const r of e.relays) r.kill('SIGKILL');
    }
    if (this.sandboxes.size === 0 && this.tools) {
      await this.network.tearDown();
      await this.cgroups.removeRoots();
    }
    this.sandboxes.clear();
  }

  listSandboxes(): Sandbox[] {
    return [...this.sandboxes.values()].map((e) => sandboxOf(e.record));
  }

  async runSandbox(cfg: SandboxConfig): Promise<Sandbox> {
    const existing = this.sandboxes.get(cfg.podUid);
    if (existing && !existing.client.closed) return sandboxOf(existing.record);
    if (existing) await this.removeSandbox(cfg.podUid);
    const paths = sandboxPaths(this.dataDir, cfg.podUid);
    await removeTreeOneFs(paths.dir);
    for (const d of [paths.dir, paths.upper, paths.work, paths.root, paths.etc, paths.logs, paths.containers]) await mkdir(d, { recursive: true, mode: 0o700 });
    await writeFile(path.join(paths.etc, 'hosts'), cfg.hostsFile, { mode: 0o644 });
    await writeFile(path.join(paths.etc, 'resolv.conf'), cfg.resolvConf, { mode: 0o644 });
    await writeFile(path.join(paths.etc, 'hostname'), `${cfg.hostname}\n`, { mode: 0o644 });

    let record: SandboxRecord | undefined;
    try {
      this.cgroups.createPod(cfg.podUid, cfg.limits);
      const net = await this.network.attachPod(cfg.podUid);
      record = {
        version: 1,
        podUid: cfg.podUid,
        namespace: cfg.namespace,
        name: cfg.name,
        hostname: cfg.hostname,
        ip: net.ip,
        netnsName: net.netnsName,
        netnsPath: net.netnsPath,
        createdAt: new Date().toISOString(),
        hide: [this.dataDir],
        cgroupProcs: [],
      };
      if (cfg.hostsFileFor) await writeFile(path.join(paths.etc, 'hosts'), cfg.hostsFileFor(net.ip), { mode: 0o644 });
      await writeRecord(paths.record, record);
      record.shim = await launchShim(this.tools, shimScriptPath(this.dataDir), paths, net.netnsPath);
      await writeRecord(paths.record, record);
      await this.attach(record, paths);
      return sandboxOf(record);
    } catch (err) {
      await this.destroy(cfg.podUid, record).catch(() => undefined);
      throw err;
    }
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    const entry = this.sandboxes.get(sandboxId);
    this.sandboxes.delete(sandboxId);
    if (entry) {
      entry.client.close();
      for (const r of entry.relays) r.kill('SIGKILL');
      for (const [name, c] of entry.containers) {
        if (c.state.state === 'running') this.emitExit(sandboxId, name, killedState(c.state));
      }
    }
    await this.destroy(sandboxId, entry?.record ?? (await readRecord(sandboxPaths(this.dataDir, sandboxId).record)));
  }

  async startContainer(sandboxId: string, c: ContainerConfig): Promise<ContainerState> {
    const entry = this.mustSandbox(sandboxId);
    const cg = this.cgroups.createContainer(sandboxId, c.name, c.limits);
    // Containers get PATH and HOSTNAME as an image and the container runtime would give them.
    const env: [string, string][] = c.env.some(([k]) => k === 'PATH') ? [...c.env] : [['PATH', CONTAINER_PATH], ...c.env];
    if (!env.some(([k]) => k === 'HOSTNAME')) env.push(['HOSTNAME', entry.record.hostname]);
    if (c.tty && !env.some(([k]) => k === 'TERM')) env.push(['TERM', 'xterm']);
    const spec: ShimContainerSpec = {
      name: c.name,
      attempt: c.attempt,
      argv: c.argv,
      env,
      workingDir: c.workingDir || '/',
      mounts: c.mounts,
      tty: c.tty,
      stdin: c.stdin,
      logPath: containerLogPath(entry.paths, c.name, c.attempt),
      cgroupProcs: cg.procs,
      oomControl: cg.oomControl,
      keepCaps: DEFAULT_CAPABILITY_NUMBERS,
    };
    if (c.argv.length === 0) throw new Error(`container ${c.name} has no command to run`);
    await writeFile(containerSpecPath(entry.paths, c.name), JSON.stringify(spec) + '\n', { mode: 0o600 });
    const reply = await entry.client.request({ op: 'start', spec });
    const state = this.toState(sandboxId, reply.state!);
    entry.containers.set(c.name, { state, attempt: c.attempt, hostPid: reply.state!.hostPid, env });
    const early = entry.earlyExits.get(`${c.name}/${c.attempt}`);
    if (early) {
      entry.earlyExits.delete(`${c.name}/${c.attempt}`);
      this.onShimExit(sandboxId, early);
    }
    return state;
  }

  containerState(sandboxId: string, containerName: string): ContainerState | undefined {
    return this.sandboxes.get(sandboxId)?.containers.get(containerName)?.state;
  }

  async stopContainer(sandboxId: string, containerName: string, graceSeconds: number): Promise<void> {
    const entry = this.sandboxes.get(sandboxId);
    const c = entry?.containers.get(containerName);
    if (!entry || !c || c.state.state !== 'running') return;
    const grace = Math.max(0, graceSeconds);
    const gone = this.waitExit(sandboxId, containerName, grace * 1000 + EXTRA_STOP_WAIT_MS);
    await entry.client.request({ op: grace === 0 ? 'kill' : 'stop', name: containerName, grace });
    if (await gone) return;
    await entry.client.request({ op: 'kill', name: containerName });
    if (!(await this.waitExit(sandboxId, containerName, EXTRA_STOP_WAIT_MS))) {
      throw new Error(`container ${containerName} of sandbox ${sandboxId} did not exit after SIGKILL`);
    }
  }

  onContainerExit(listener: (e: ContainerExit) => void): void {
    this.exitListeners.push(listener);
  }

  async exec(sandboxId: string, containerName: string, argv: string[], io: ExecIO): Promise<number> {
    const c = this.sandboxes.get(sandboxId)?.containers.get(containerName);
    if (!c || c.state.state !== 'running') throw new Error(`container ${containerName} is not running`);
    return execInContainer(this.tools, { hostPid: c.hostPid, env: c.env }, argv, io);
  }

  async dial(sandboxId: string, port: number, host?: string): Promise<Duplex> {
    const entry = this.mustSandbox(sandboxId);
    return dialInNetns(this.tools, entry.record.netnsPath, host ?? '127.0.0.1', port, (child) => {
      entry.relays.add(child);
      child.once('exit', () => entry.relays.delete(child));
    });
  }

  netnsPath(sandboxId: string): string | undefined {
    return this.sandboxes.get(sandboxId)?.record.netnsPath;
  }

  logPath(sandboxId: string, containerName: string, attempt: number): string {
    return containerLogPath(sandboxPaths(this.dataDir, sandboxId), containerName, attempt);
  }

  private mustSandbox(id: string): SandboxEntry {
    const e = this.sandboxes.get(id);
    if (!e) throw new Error(`no sandbox ${id}`);
    if (e.client.closed) throw new Error(`the shim of sandbox ${id} is gone`);
    return e;
  }

  /** Connects to a live shim and loads its containers' last recorded states. */
  private async attach(record: SandboxRecord, paths: SandboxPaths): Promise<void> {
    const id = record.podUid;
    const client = await ShimClient.connect(paths.socket, record.shim!.hostPid, (e) => this.onShimExit(id, e));
    const entry: SandboxEntry = { record, paths, client, containers: new Map(), relays: new Set(), earlyExits: new Map() };
    const reply = await client.request({ op: 'states' });
    for (const st of reply.states ?? []) {
      const env = await readSpecEnv(paths, st.name);
      entry.containers.set(st.name, { state: this.toState(id, st), attempt: st.attempt, hostPid: st.hostPid, env });
    }
    this.sandboxes.set(id, entry);
    client.onClosed(() => this.onShimGone(id, entry));
  }

  private onShimExit(sandboxId: string, e: ShimExitEvent): void {
    const entry = this.sandboxes.get(sandboxId);
    const c = entry?.containers.get(e.state.name);
    if (entry && (!c || e.state.attempt > c.attempt)) entry.earlyExits.set(`${e.state.name}/${e.state.attempt}`, e);
    if (!entry || !c || e.state.attempt !== c.attempt) return;
    c.state = this.toState(sandboxId, e.state);
    if (c.state.state === 'exited') this.emitExit(sandboxId, e.state.name, c.state);
  }

  /** The shim died under us (or was killed): its containers died with its PID namespace. */
  private onShimGone(sandboxId: string, entry: SandboxEntry): void {
    if (this.closed || this.sandboxes.get(sandboxId) !== entry) return;
    for (const [name, c] of entry.containers) {
      if (c.state.state !== 'running') continue;
      c.state = killedState(c.state);
      this.emitExit(sandboxId, name, c.state);
    }
  }

  private emitExit(sandboxId: string, containerName: string, state: ContainerState): void {
    if (state.state !== 'exited') return;
    for (const l of this.exitListeners) {
      try {
        l({ sandboxId, containerName, state });
      } catch {
        /* a listener's failure is its own */
      }
    }
    const key = `${sandboxId}/${containerName}`;
    for (const w of this.exitWaiters.get(key)?.splice(0) ?? []) w();
  }

  private waitExit(sandboxId: string, containerName: string, timeoutMs: number): Promise<boolean> {
    if (this.containerState(sandboxId, containerName)?.state !== 'running') return Promise.resolve(true);
    const key = `${sandboxId}/${containerName}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.containerState(sandboxId, containerName)?.state !== 'running'), timeoutMs);
      const list = this.exitWaiters.get(key) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.exitWaiters.set(key, list);
    });
  }

  private toState(sandboxId: string, st: ShimContainerState): ContainerState {
    const containerId = `${createHash('sha256').update(`${sandboxId}/${st.name}/${st.attempt}/${st.startedAt}`).digest('hex')}`;
    const startedAt = new Date(st.startedAt);
    if (st.state === 'running') return { state: 'running', containerId, startedAt };
    const exitCode = st.exitCode ?? 0;
    const reason = st.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    return {
      state: 'exited',
      containerId,
      startedAt,
      finishedAt: new Date(st.finishedAt ?? Date.now()),
      exitCode,
      reason,
      ...(st.signal ? { signal: st.signal } : {}),
    };
  }

  /** Kills the shim (and with it the pod's PID namespace), then removes cgroups, network and files. */
  private async destroy(podUid: string, record: SandboxRecord | undefined): Promise<void> {
    const paths = sandboxPaths(this.dataDir, podUid);
    if (record?.shim && isSameProcess(record.shim.hostPid, record.shim.startTime)) {
      killProcess(record.shim.hostPid);
      if (!(await waitProcessGone(record.shim.hostPid, record.shim.startTime, 10_000))) {
        throw new Error(`the shim of sandbox ${podUid} (pid ${record.shim.hostPid}) did not exit`);
      }
    }
    await killStrayShims(this.dataDir, new Set(), paths.dir);
    await this.cgroups?.removePod(podUid);
    await this.network.detachPod(podUid);
    await unmountUnder(paths.dir);
    const left = await removeTreeOneFs(paths.dir);
    if (left.length) throw new Error(`sandbox ${podUid}: could not remove ${left.join(', ')} (still mounted)`);
  }
}

function killedState(s: ContainerState): ContainerState & { state: 'exited' } {
  return { state: 'exited', containerId: s.containerId, startedAt: s.startedAt, finishedAt: new Date(), exitCode: 137, reason: 'Error', signal: 9 };
}

async function readSpecEnv(paths: SandboxPaths, name: string): Promise<[string, string][]> {
  try {
    return (JSON.parse(await readFile(containerSpecPath(paths, name), 'utf8')) as ShimContainerSpec).env;
  } catch {
    return [['PATH', CONTAINER_PATH]];
  }
}
