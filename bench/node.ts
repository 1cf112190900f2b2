// Node agent figures on this machine. Prints; asserts nothing.
//  1. The process runtime's sandbox (network namespace on the bridge, overlay root, shim):
//     time to create and to tear down, p50 and p99 over SANDBOXES pods, one at a time, driven
//     directly through ProcessRuntime + PodNetwork on free ranges (root only; skipped otherwise).
//  2. The memory (RSS) of `ordinal up --runtime simulated` idle, and with 1,000 simulated pods
//     Running and Ready.
//   node dist/bench/node.js [sandboxes=50] [pods=1000]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanupNetwork, PodNetwork } from '../src/node/runtime/process/network/index.js';
import { cleanupProcessRuntime, ProcessRuntime } from '../src/node/runtime/process/index.js';
import { pickFreeRanges } from '../test/node/network/host-support.js';
import { startServer, type TestServer } from '../test/support/server.js';
import { waitFor } from '../test/support/wait.js';

const SANDBOXES = Number(process.argv[2] ?? 50);
const PODS = Number(process.argv[3] ?? 1000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function figures(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label.padEnd(10)} p50 ${percentile(s, 50).toFixed(1)} ms  p99 ${percentile(s, 99).toFixed(1)} ms  max ${s[s.length - 1]!.toFixed(1)} ms`;
}

async function sandboxTimes(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('sandbox: skipped (needs root: namespaces, mounts, a bridge)');
    return;
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-bench-node-'));
  const [podCIDR, serviceCIDR] = (await pickFreeRanges(2)) as [string, string];
  const rt = new ProcessRuntime({ dataDir, network: new PodNetwork({ podCIDR, serviceCIDR, dataDir }), log: () => undefined });
  const create: number[] = [];
  const teardown: number[] = [];
  try {
    await rt.start();
    // One unmeasured round warms the caches (python, binaries) as a running node would have them.
    for (let i = -1; i < SANDBOXES; i++) {
      const name = `bench-${i + 1}`;
      const t0 = performance.now();
      const sb = await rt.runSandbox({
        podUid: randomUUID(),
        namespace: 'default',
        name,
        hostname: name,
        hostsFile: '127.0.0.1\tlocalhost\n',
        resolvConf: 'nameserver 10.255.255.254\n',
        annotations: {},
      });
      const t1 = performance.now();
      await rt.removeSandbox(sb.id);
      const t2 = performance.now();
      if (i >= 0) {
        create.push(t1 - t0);
        teardown.push(t2 - t1);
      }
    }
  } finally {
    await rt.close().catch(() => undefined);
    await cleanupProcessRuntime(dataDir).catch(() => undefined);
    await cleanupNetwork(dataDir, { killProcesses: true }).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`process-runtime sandbox, ${SANDBOXES} pods one at a time (${podCIDR}):`);
  console.log(`  ${figures('create', create)}`);
  console.log(`  ${figures('teardown', teardown)}`);
  console.log(`  ${figures('total', create.map((c, i) => c + teardown[i]!))}`);
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

async function agentMemory(): Promise<void> {
  let s: TestServer | undefined;
  try {
    s = await startServer({ runtime: 'simulated' });
    const srv = s;
    const pid = srv.proc.pid!;
    const idle = rssMiB(pid);
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < PODS) {
        const i = next++;
        const r = await srv.api().post('/api/v1/namespaces/default/pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `sim-${i}`, labels: { app: 'sim' } },
          spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '100000'] }] },
        });
        if (r.status !== 201) throw new Error(`create sim-${i}: ${r.status} ${r.text}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await waitFor(async () => {
      const list = await srv.api().get('/api/v1/namespaces/default/pods?labelSelector=app%3Dsim', { timeoutMs: 60_000 });
      return (list.json.items as { status?: { conditions?: { type: string; status: string }[] } }[]).filter((p) =>
        (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      ).length === PODS;
    }, { what: `${PODS} pods Ready`, timeoutMs: 300_000, intervalMs: 500 });
    const readyMs = performance.now() - t0;
    const loaded = rssMiB(pid);
    // Let the first burst of garbage go, then sample again: the steady figure.
    await new Promise((r) => setTimeout(r, 3000));
    const steady = rssMiB(pid);
    console.log(`ordinal up --runtime simulated (API server, controllers and agent in one process):`);
    console.log(`  RSS idle ${idle.toFixed(0)} MiB; ${PODS} pods Running and Ready after ${(readyMs / 1000).toFixed(1)} s: RSS ${loaded.toFixed(0)} MiB, 3 s later ${steady.toFixed(0)} MiB (+${(steady - idle).toFixed(0)} MiB, ${(((steady - idle) * 1024) / PODS).toFixed(0)} KiB per pod)`);
  } finally {
    await s?.dispose();
  }
}

await sandboxTimes();
await agentMemory();
