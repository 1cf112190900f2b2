// A real kill -9 of the process that runs the runtime: the pod keeps running and keeps
// writing its log (the shim, not ordinal, holds the output), and a new runtime on the same
// data dir re-attaches to it; afterwards nothing is left.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { cleanupNetwork, PodNetwork } from '../../../src/node/runtime/process/network/index.js';
import { cleanupProcessRuntime, ProcessRuntime } from '../../../src/node/runtime/process/index.js';
import { pickFreeRanges, pollUntil } from '../network/host-support.js';

const skip = process.getuid?.() !== 0 ? 'needs root (namespaces, mounts, cgroups, a bridge)' : false;
const POD = 'c0ffee00-0000-4000-8000-0000000000c1';
const INDEX = new URL('../../../src/node/runtime/process/index.js', import.meta.url).href;
const NETWORK = new URL('../../../src/node/runtime/process/network/index.js', import.meta.url).href;

// The child: starts a runtime, one pod with a container that prints a counter, says READY.
const CHILD = `
import { ProcessRuntime } from ${JSON.stringify(INDEX)};
import { PodNetwork } from ${JSON.stringify(NETWORK)};
const [dataDir, podCIDR, serviceCIDR, uid] = process.argv.slice(1);
const rt = new ProcessRuntime({ dataDir, network: new PodNetwork({ podCIDR, serviceCIDR, dataDir }) });
await rt.start();
const sb = await rt.runSandbox({ podUid: uid, namespace: 'default', name: 'ticker', hostname: 'ticker', hostsFile: '', resolvConf: '', annotations: {} });
await rt.startContainer(sb.id, { name: 'tick', argv: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done'], env: [], workingDir: '/', mounts: [], tty: false, stdin: false, stdinOnce: false, attempt: 0 });
process.stdout.write('READY\\n');
setInterval(() => {}, 1000);
`;

let dataDir: string | undefined;
after(async () => {
  if (dataDir) {
    await cleanupProcessRuntime(dataDir).catch(() => undefined);
    await cleanupNetwork(dataDir, { killProcesses: true }).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('pods and their logs survive kill -9 of ordinal; a restart re-attaches', { skip }, async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-crash-'));
  const [podCIDR, serviceCIDR] = (await pickFreeRanges(2)) as [string, string];
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dataDir, podCIDR, serviceCIDR, POD], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before READY`)));
    });
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((r) => child.once('exit', r));

  const log = path.join(dataDir, 'sandboxes', POD, 'logs', 'tick', '0.log');
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0);
  const atKill = lines();
  await pollUntil('the log to keep growing after the crash', async () => (lines() > atKill + 5 ? true : undefined));

  const rt = new ProcessRuntime({ dataDir, network: new PodNetwork({ podCIDR, serviceCIDR, dataDir }), log: () => undefined });
  await rt.start();
  assert.deepEqual(rt.listSandboxes().map((s) => s.name), ['ticker']);
  assert.equal(rt.containerState(POD, 'tick')?.state, 'running');
  assert.match(readFileSync(rt.logPath(POD, 'tick', 0), 'utf8'), /stdout F tick \d+\n$/);
  await rt.stopContainer(POD, 'tick', 5);
  assert.equal(rt.containerState(POD, 'tick')?.state, 'exited');
  await rt.removeSandbox(POD);
  await rt.close();
  assert.equal(existsSync(path.join(dataDir, 'sandboxes', POD)), false);
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(dataDir));
});

test('ordinal cleanup removes a crashed instance: running pods, mounts, netns, cgroups, files', { skip }, async () => {
  const { runCleanup } = await import('../../../src/cli/cleanup.js');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-crash2-'));
  try {
    const [podCIDR, serviceCIDR] = (await pickFreeRanges(2)) as [string, string];
    const network = new PodNetwork({ podCIDR, serviceCIDR, dataDir: dir });
    const rt = new ProcessRuntime({ dataDir: dir, network, log: () => undefined });
    await rt.start();
    const sb = await rt.runSandbox({ podUid: POD, namespace: 'default', name: 'left', hostname: 'left', hostsFile: '', resolvConf: '', annotations: {} });
    await rt.startContainer(sb.id, { name: 'c', argv: ['sleep', '1000'], env: [], workingDir: '/', mounts: [], tty: false, stdin: false, stdinOnce: false, attempt: 0 });
    const shimPid = (JSON.parse(readFileSync(path.join(dir, 'sandboxes', POD, 'sandbox.json'), 'utf8')) as { shim: { hostPid: number } }).shim.hostPid;
    // Abandoned as by a crash (its sockets closed so this test process can exit).
    for (const s of rt.listSandboxes()) assert.equal(s.name, 'left');
    (rt as unknown as { sandboxes: Map<string, { client: { close(): void } }> }).sandboxes.forEach((e) => e.client.close());

    assert.equal(await runCleanup(['--data-dir', dir]), 0);
    assert.equal(existsSync(`/proc/${shimPid}`), false, 'the shim is gone');
    assert.equal(existsSync(path.join(dir, 'sandboxes')), false);
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(dir));
    assert.equal(existsSync(`/run/netns/${network.attachment(POD)?.netnsName ?? 'none'}`), false);
    assert.equal(await runCleanup(['--data-dir', dir]), 0, 'a second run finds nothing and succeeds');
  } finally {
    await cleanupProcessRuntime(dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});
