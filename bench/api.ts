// API server figures on this machine: write/read throughput and latency,
// watch fan-out latency, list time and memory with 10,000 pods, startup time.
// Prints a table; asserts nothing about time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiClient, type ApiResponse } from '../test/support/api-client.js';
import { readKubeconfig } from '../test/support/kubeconfig.js';
import { serverArgs, spawnOrdinal, startServer, type TestServer } from '../test/support/server.js';
import { makeTempDir, removeTempDir } from '../test/support/temp.js';

const CONCURRENCY = 16;
const SEQ_CREATES = 500;
const CONC_CREATES = 2000;
const GETS = 2000;
const WATCHERS = 100;
const WATCHED_WRITES = 100;
const PODS = 10_000;
const STARTUP_RUNS = 3;

const rows: [string, string][] = [];
const report = (what: string, value: string) => { rows.push([what, value]); console.error(`  ${what}: ${value}`); };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

function must(res: ApiResponse, code: number, what: string): ApiResponse {
  if (res.status !== code) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

async function inParallel(total: number, workers: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < total) await job(next++);
  }));
}

async function createNamespace(api: ApiClient, name: string): Promise<void> {
  must(await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), 201, `create namespace ${name}`);
}

const cm = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } });
const minimalPod = (ns: string, name: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] },
});

async function benchCreates(api: ApiClient): Promise<void> {
  await createNamespace(api, 'bench-seq');
  let t = performance.now();
  for (let i = 0; i < SEQ_CREATES; i++) must(await api.post('/api/v1/namespaces/bench-seq/configmaps', cm('bench-seq', `s-${i}`)), 201, 'create');
  report(`creates/s, sequential (${SEQ_CREATES})`, ((SEQ_CREATES * 1000) / (performance.now() - t)).toFixed(0));
  await createNamespace(api, 'bench-conc');
  t = performance.now();
  await inParallel(CONC_CREATES, CONCURRENCY, async (i) => {
    must(await api.post('/api/v1/namespaces/bench-conc/configmaps', cm('bench-conc', `c-${i}`)), 201, 'create');
  });
  report(`creates/s, ${CONCURRENCY} clients (${CONC_CREATES})`, ((CONC_CREATES * 1000) / (performance.now() - t)).toFixed(0));
}

async function benchGets(api: ApiClient): Promise<void> {
  const lat: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const t = performance.now();
    must(await api.get(`/api/v1/namespaces/bench-conc/configmaps/c-${i % CONC_CREATES}`), 200, 'get');
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  report(`get p50 / p99 (${GETS} sequential)`, `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`);
}

async function benchWatchLatency(server: TestServer, api: ApiClient): Promise<void> {
  const ns = 'bench-watch';
  await createNamespace(api, ns);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = must(await api.get(path), 200, 'list').json.metadata.resourceVersion as string;
  const watchClient = new ApiClient(readKubeconfig(server.kubeconfig), { maxSockets: WATCHERS + 4 });
  const sentAt = new Map<string, number>();
  const lat: number[] = [];
  let received = 0;
  const streams = await Promise.all(Array.from({ length: WATCHERS }, () =>
    watchClient.watch(`${path}?watch=true&resourceVersion=${rv}`, {}, (ev) => {
      const t0 = sentAt.get(ev.object?.metadata?.name);
      if (ev.type === 'ADDED' && t0 !== undefined) { lat.push(performance.now() - t0); received++; }
    })));
  for (let i = 0; i < WATCHED_WRITES; i++) {
    const name = `w-${i}`;
    sentAt.set(name, performance.now());
    must(await api.post(path, cm(ns, name)), 201, 'create watched');
  }
  const deadline = Date.now() + 30_000;
  while (received < WATCHERS * WATCHED_WRITES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const s of streams) s.close();
  watchClient.close();
  lat.sort((a, b) => a - b);
  report(`write→watch event p50 / p99 (${WATCHERS} watchers, ${WATCHED_WRITES} writes, ${received} events)`,
    `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`);
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function benchPods(server: TestServer, api: ApiClient): Promise<void> {
  const ns = 'bench-pods';
  await createNamespace(api, ns);
  const t = performance.now();
  await inParallel(PODS, CONCURRENCY, async (i) => {
    must(await api.post(`/api/v1/namespaces/${ns}/pods`, minimalPod(ns, `p-${i}`)), 201, 'create pod');
  });
  report(`create ${PODS} pods (${CONCURRENCY} clients)`, `${((performance.now() - t) / 1000).toFixed(1)} s`);
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const res = must(await api.get(`/api/v1/namespaces/${ns}/pods`), 200, 'list pods');
    times.push(performance.now() - t0);
    bytes = res.text.length;
    if (res.json.items.length !== PODS) throw new Error(`list returned ${res.json.items.length} pods`);
  }
  report(`list ${PODS} pods (3 runs)`, `${times.map(ms).join(', ')}; ${(bytes / 1048576).toFixed(1)} MiB`);
  report(`server RSS with ${PODS} pods`, `${(rssKiB(server.proc.pid!) / 1024).toFixed(0)} MiB`);
  const r0 = performance.now();
  await server.restart();
  report(`restart → ready with ${PODS} pods stored`, ms(performance.now() - r0));
}

async function benchStartup(): Promise<void> {
  const times: number[] = [];
  for (let run = 0; run <= STARTUP_RUNS; run++) {
    const dir = makeTempDir('ordinal-bench-start-');
    const t0 = performance.now();
    const running = await spawnOrdinal(serverArgs(join(dir, 'data'), join(dir, 'kubeconfig'), {}), () => {});
    const elapsed = performance.now() - t0;
    running.proc.kill('SIGTERM');
    await running.exited;
    removeTempDir(dir);
    if (run > 0) times.push(elapsed); // run 0 warms the caches
  }
  report(`spawn → ready line, fresh data dir (avg of ${STARTUP_RUNS}, warm)`, ms(times.reduce((a, b) => a + b, 0) / times.length));
}

/**
 * The server's own cost per create, without TLS/HTTP and without a client competing for the
 * same two cores: decode (Strict) + registry + SQLite commit + response serialisation.
 */
async function benchInProcess(): Promise<void> {
  const { SqliteStore } = await import('../src/store/sqlite-store.js');
  const { Registry } = await import('../src/registry/registry.js');
  const { strategyFor, codecFor } = await import('../src/registry/kinds/index.js');
  const { bootstrap } = await import('../src/registry/bootstrap.js');
  const { findResource } = await import('../src/api/resources.js');
  const { decodeStrict } = await import('../src/api/schema/decode.js');
  const dir = makeTempDir('ordinal-bench-inproc-');
  const store = new SqliteStore(join(dir, 'state.db'));
  try {
    const registry = new Registry(store, { strategyFor, codecFor, serviceCIDR: '10.96.0.0/16', eventTTLSeconds: 3600 });
    bootstrap(registry, { apiServerPort: 6443 });
    const pods = findResource('', 'v1', 'pods')!;
    const n = 5000;
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const text = JSON.stringify(minimalPod('default', `p-${i}`));
      JSON.stringify(registry.create(pods, 'default', decodeStrict(pods, text, 'Strict').object));
    }
    report(`pod creates/s in process, no HTTP (${n})`, ((n * 1000) / (performance.now() - t)).toFixed(0));
  } finally {
    store.close();
    removeTempDir(dir);
  }
}

async function main(): Promise<void> {
  console.error('ordinal API bench (figures on this machine; nothing is asserted)');
  // The API server is what is measured: no scheduler or node agent runs the 10,000 pods.
  const server = await startServer({ extraArgs: ['--disable', 'scheduler,node'] });
  try {
    const api = new ApiClient(readKubeconfig(server.kubeconfig), { maxSockets: CONCURRENCY });
    await benchCreates(api);
    await benchGets(api);
    await benchWatchLatency(server, api);
    await benchPods(server, api);
    api.close();
  } finally {
    await server.dispose();
  }
  await benchStartup();
  await benchInProcess();
  const width = Math.max(...rows.map(([w]) => w.length));
  console.log(`\n${'measure'.padEnd(width)}  value`);
  console.log(`${'-'.repeat(width)}  -----`);
  for (const [w, v] of rows) console.log(`${w.padEnd(width)}  ${v}`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
