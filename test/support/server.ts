// Spawns the real `ordinal up` on a random loopback port with a fresh data dir
// and waits for its ready line. One instance per test file keeps suites fast.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from './api-client.js';
import { readKubeconfig } from './kubeconfig.js';
import { runKubectl, startKubectl, type BackgroundKubectl, type KubectlOptions, type KubectlResult, type KubectlVersion } from './kubectl.js';
import { makeTempDir, removeTempDir, trackProcess } from './temp.js';

export interface ServerOptions {
  /**
   * The node agent's runtime. Tests get `simulated` unless they ask for real processes: it
   * touches nothing on the host, so servers can run side by side. A `process` test passes
   * its own pod and service ranges (see test/node/network/host-support.ts pickFreeRanges).
   */
  runtime?: 'process' | 'simulated';
  podCidr?: string;
  serviceCidr?: string;
  eventTtl?: string;
  compactRetain?: number;
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

export interface TestServer {
  url: string;
  kubeconfig: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the server printed (stdout then stderr), for failure messages. */
  logs(): string;
  /** SIGTERM and wait; resolves with the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
  /** Starts again on the same data dir (stopping first when running). url and proc change. */
  restart(): Promise<void>;
  /** Stops the process and removes every temp dir. Safe to call twice. */
  dispose(): Promise<void>;
  /** A raw HTTPS client for the current url (re-created after a restart). */
  api(): ApiClient;
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  kubectlBackground(args: string[], opts?: KubectlOptions): BackgroundKubectl;
  /** A directory for manifests written by the test. */
  workDir: string;
}

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'ordinal.js'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (bin/ordinal.js)');
    dir = up;
  }
  return dir;
}

const READY_URL = /https:\/\/127\.0\.0\.1:(\d+)/;

interface Running { proc: ChildProcess; url: string; exited: Promise<void> }

export function serverArgs(dataDir: string, kubeconfig: string, opts: ServerOptions): string[] {
  const args = ['up', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--write-kubeconfig', kubeconfig];
  args.push('--runtime', opts.runtime ?? 'simulated');
  if (opts.podCidr) args.push('--pod-cidr', opts.podCidr);
  if (opts.serviceCidr) args.push('--service-cidr', opts.serviceCidr);
  if (opts.eventTtl) args.push('--event-ttl', opts.eventTtl);
  if (opts.compactRetain !== undefined) args.push('--compact-retain', String(opts.compactRetain));
  return [...args, ...(opts.extraArgs ?? [])];
}

/** Spawns `ordinal up` and resolves once the ready line is printed. */
export function spawnOrdinal(args: string[], log: (s: string) => void, readyTimeoutMs = 20_000): Promise<Running> {
  // ORDINAL_TEST_BIN lets the harness drive another build (or a stub) of the CLI.
  const bin = process.env.ORDINAL_TEST_BIN ?? join(repoRoot(), 'bin', 'ordinal.js');
  const proc = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '' },
  });
  trackProcess(proc);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return new Promise((resolvePromise, reject) => {
    let pending = '';
    let done = false;
    const finish = (err: Error | null, url?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) { proc.kill('SIGKILL'); reject(err); } else resolvePromise({ proc, url: url!, exited });
    };
    const timer = setTimeout(() => finish(new Error(`ordinal up: no ready line within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      log(d);
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = READY_URL.exec(line);
        if (/\bready\b/i.test(line) && m) finish(null, m[0]);
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => log(d));
    proc.once('exit', (code, sig) => finish(new Error(`ordinal up exited (${code ?? sig}) before ready`)));
    proc.once('error', (e) => finish(e));
  });
}

export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const root = makeTempDir('ordinal-it-');
  const dataDir = join(root, 'data');
  const workDir = join(root, 'work');
  const home = join(root, 'home');
  for (const d of [dataDir, workDir, home]) mkdirSync(d, { recursive: true });
  const kubeconfig = join(root, 'kubeconfig');
  let output = '';
  const log = (s: string) => { output = (output + s).slice(-200_000); };
  const args = serverArgs(dataDir, kubeconfig, opts);
  let running: Running;
  try {
    running = await spawnOrdinal(args, log, opts.readyTimeoutMs);
  } catch (err) {
    removeTempDir(root);
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output}`);
  }
  let client: ApiClient | undefined;
  const alive = () => running.proc.exitCode === null && running.proc.signalCode === null;
  const kEnv = (version: KubectlVersion = '1.33') => {
    const cacheDir = join(root, `kube-cache-${version}`);
    return { kubeconfig, cacheDir, home };
  };
  const dropClient = () => { client?.close(); client = undefined; };

  const server: TestServer = {
    url: running.url,
    kubeconfig,
    dataDir,
    workDir,
    proc: running.proc,
    logs: () => output,
    async stop() {
      dropClient();
      if (alive()) running.proc.kill('SIGTERM');
      const killer = setTimeout(() => running.proc.kill('SIGKILL'), 15_000);
      await running.exited;
      clearTimeout(killer);
      return running.proc.exitCode;
    },
    async kill9() {
      dropClient();
      if (alive()) running.proc.kill('SIGKILL');
      await running.exited;
    },
    async restart() {
      if (alive()) await server.stop();
      dropClient();
      running = await spawnOrdinal(args, log, opts.readyTimeoutMs);
      server.url = running.url;
      server.proc = running.proc;
    },
    async dispose() {
      if (alive()) await server.stop();
      dropClient();
      removeTempDir(root);
    },
    api() {
      client ??= new ApiClient(readKubeconfig(kubeconfig));
      return client;
    },
    kubectl: (a, o = {}) => runKubectl(kEnv(o.version), a, { cwd: workDir, ...o }),
    kubectlBackground: (a, o = {}) => startKubectl(kEnv(o.version), a, { cwd: workDir, ...o }),
  };
  return server;
}


