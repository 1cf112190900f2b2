// Starts a pod's shim: `nsenter --net=<pod netns> unshare --uts --mount --pid --ipc --fork
// python3 shim.py <sandbox dir>`, detached from ordinal (own session, no pipes: its stderr
// goes to a file), and waits for the shim to report that the sandbox is built.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { processStartTime } from './host-process.js';
import type { HostTools } from './host-tools.js';
import type { SandboxPaths } from './paths.js';
import type { ShimStatus } from './shim-protocol.js';

const READY_TIMEOUT_MS = 15_000;

export interface LaunchedShim {
  hostPid: number;
  startTime: string;
}

export async function launchShim(tools: HostTools, script: string, paths: SandboxPaths, netnsPath: string): Promise<LaunchedShim> {
  const log = openSync(paths.shimLog, 'a', 0o600);
  let exited: string | undefined;
  try {
    const child = spawn(
      tools.nsenter,
      [
        `--net=${netnsPath}`,
        '--',
        tools.unshare,
        '--uts',
        '--mount',
        '--pid',
        '--ipc',
        '--fork',
        '--propagation',
        'private',
        '--',
        tools.python,
        '-I',
        script,
        paths.dir,
      ],
      { detached: true, stdio: ['ignore', log, log], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } },
    );
    child.on('exit', (code, signal) => {
      exited = `the shim exited (${signal ?? `code ${code}`})`;
    });
    child.on('error', (err) => {
      exited = `the shim did not start: ${err.message}`;
    });
    child.unref();
  } finally {
    closeSync(log);
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const status = await readStatus(paths.status);
    if (status?.state === 'ready') {
      const startTime = processStartTime(status.hostPid);
      if (!startTime) throw new Error(`the pod shim (pid ${status.hostPid}) exited right after start: ${await tail(paths.shimLog)}`);
      return { hostPid: status.hostPid, startTime };
    }
    if (status?.state === 'failed') throw new Error(`building the pod sandbox failed: ${status.error}`);
    if (exited) throw new Error(`${exited}: ${await tail(paths.shimLog)}`);
    if (Date.now() > deadline) throw new Error(`the pod shim did not become ready within ${READY_TIMEOUT_MS / 1000}s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function readStatus(file: string): Promise<ShimStatus | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ShimStatus;
  } catch {
    return undefined;
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-3).join(' | ') || '(no output)';
}
