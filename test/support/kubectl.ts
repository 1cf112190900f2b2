// Runs the real kubectl binaries against a test server, isolated from the
// user's ~/.kube: own kubeconfig, own --cache-dir, KUBECONFIG unset, HOME temp.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { trackProcess } from './temp.js';

export type KubectlVersion = '1.27' | '1.28' | '1.29' | '1.30' | '1.31' | '1.32' | '1.33';
export const KUBECTL_VERSIONS_UNDER_TEST: KubectlVersion[] = ['1.27', '1.33'];

export interface KubectlEnv {
  kubeconfig: string;
  cacheDir: string;
  home: string;
}

export interface KubectlOptions {
  version?: KubectlVersion;
  stdin?: string;
  timeoutMs?: number;
  /** Working directory (relative -f paths are printed as given). */
  cwd?: string;
}

export interface KubectlResult { code: number | null; stdout: string; stderr: string }

export function kubectlBinary(version: KubectlVersion = '1.33'): string {
  const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.${version}`;
  if (!existsSync(bin)) throw new Error(`kubectl ${version} not installed at ${bin}`);
  return bin;
}

function kubectlEnv(env: KubectlEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, HOME: env.home };
  delete out.KUBECONFIG;
  return out;
}

function spawnKubectl(env: KubectlEnv, args: string[], opts: KubectlOptions): ChildProcess {
  const fullArgs = ['--kubeconfig', env.kubeconfig, '--cache-dir', env.cacheDir, ...args];
  const proc = spawn(kubectlBinary(opts.version), fullArgs, {
    env: kubectlEnv(env),
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  trackProcess(proc);
  return proc;
}

export function runKubectl(env: KubectlEnv, args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  const proc = spawnKubectl(env, args, opts);
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  proc.stdin!.end(opts.stdin ?? '');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kubectl ${args.join(' ')} timed out after ${timeoutMs} ms; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    proc.on('error', (err) => { clearTimeout(timer); reject(err); });
    proc.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export interface BackgroundKubectl {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Kills the process and resolves once it has exited. */
  stop(): Promise<void>;
}

/** For long-running commands such as `get -w`: output accumulates until stop(). */
export function startKubectl(env: KubectlEnv, args: string[], opts: KubectlOptions = {}): BackgroundKubectl {
  const proc = spawnKubectl(env, args, opts);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<void>((r) => proc.once('close', () => r()));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
