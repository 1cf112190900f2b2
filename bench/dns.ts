// Cluster DNS figures on this machine: 100 headless Services of 10 ready endpoints each, in a
// real in-memory Registry feeding the server through informers; a closed-loop UDP load on
// 127.0.0.1 with a fixed number of queries in flight. Prints figures; asserts nothing.
//   node dist/bench/dns.js [seconds=3] [inFlight=32]
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { RRType } from '../src/dns/wire/constants.js';
import { decodeMessage } from '../src/dns/wire/message.js';
import { buildQuery } from '../test/dns/dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from '../test/dns/harness.js';

const SERVICE_COUNT = 100;
const ENDPOINTS = 10;
const Z = 'default.svc.cluster.local';
const seconds = Number(process.argv[2] ?? 3);
const inFlight = Number(process.argv[3] ?? 32);

const ipOf = (s: number, e: number) => `10.${244 + (s >> 8)}.${s & 0xff}.${e + 1}`;

async function populate(h: DnsHarness): Promise<void> {
  for (let s = 0; s < SERVICE_COUNT; s++) {
    const name = `svc-${s}`;
    await h.client.create(SERVICES, 'default', service(name, { headless: true }));
    await h.client.create(SLICES, 'default', slice(name, Array.from({ length: ENDPOINTS }, (_, e) => ({ ip: ipOf(s, e), hostname: `${name}-${e}` }))));
  }
  const last = SERVICE_COUNT - 1;
  await waitForAnswer(h.port, `svc-${last}.${Z}`, RRType.A, Array.from({ length: ENDPOINTS }, (_, e) => ipOf(last, e)));
}

interface Figures {
  queries: number;
  qps: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
}

/** Keeps `inFlight` queries outstanding on one socket, matching answers by ID. */
async function load(port: number, nameFor: (i: number) => string, expectAnswers: number): Promise<Figures> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind({ address: '127.0.0.1', port: 0 }, () => r()));
  const latencies: number[] = [];
  const pending = new Map<number, number>();
  let issued = 0;
  let lost = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  const send = () => {
    if (performance.now() >= deadline) {
      if (pending.size === 0) finish();
      return;
    }
    const q = buildQuery(nameFor(issued++), RRType.A);
    const id = (q[0]! << 8) | q[1]!;
    pending.set(id, performance.now());
    sock.send(q, port, '127.0.0.1');
  };
  sock.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    const sent = pending.get(id);
    if (sent === undefined) return;
    pending.delete(id);
    latencies.push(performance.now() - sent);
    if (latencies.length === 1 && decodeMessage(msg).answers.length !== expectAnswers) throw new Error('unexpected answer');
    send();
  });
  // A lost datagram would stall its slot: reissue anything older than a second.
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const [id, t] of pending) {
      if (now - t < 1000) continue;
      pending.delete(id);
      lost++;
      send();
    }
    if (now >= deadline && pending.size === 0) finish();
  }, 200);
  for (let i = 0; i < inFlight; i++) send();
  await done;
  clearInterval(sweeper);
  const elapsed = (performance.now() - start) / 1000;
  sock.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { queries: latencies.length, qps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), max: latencies[latencies.length - 1] ?? NaN, lost };
}

function report(what: string, f: Figures): void {
  console.log(`${what}`);
  console.log(`  queries: ${f.queries} in ${seconds} s, ${inFlight} in flight${f.lost ? `, ${f.lost} lost` : ''}`);
  console.log(`  queries/s: ${f.qps.toFixed(0)}`);
  console.log(`  latency p50: ${f.p50.toFixed(3)} ms, p99: ${f.p99.toFixed(3)} ms, max: ${f.max.toFixed(3)} ms`);
}

const h = await startDnsHarness({ log: (m) => console.error(m) });
try {
  const t0 = performance.now();
  await populate(h);
  console.log(`dns bench: ${SERVICE_COUNT} headless Services x ${ENDPOINTS} endpoints (UDP, 127.0.0.1:${h.port}); populated in ${(performance.now() - t0).toFixed(0)} ms`);
  // Warm-up, so JIT compilation is not in the figures.
  await load(h.port, (i) => `svc-${i % SERVICE_COUNT}.${Z}`, ENDPOINTS);
  report('headless Service A (10 records each):', await load(h.port, (i) => `svc-${(i * 37) % SERVICE_COUNT}.${Z}`, ENDPOINTS));
  report('per-pod A (<hostname>.<svc>):', await load(h.port, (i) => `svc-${(i * 37) % SERVICE_COUNT}-${i % ENDPOINTS}.svc-${(i * 37) % SERVICE_COUNT}.${Z}`, 1));
} finally {
  await h.close();
}
