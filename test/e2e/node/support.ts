// Shared helpers of the node agent's end-to-end tests: the real `ordinal up` with the process
// runtime, the real kubectl, and checks against the host kernel for what an instance leaves.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { instanceIdFor, namesFor } from '../../../src/node/runtime/process/network/index.js';
import { overlaps, parseCidr } from '../../../src/node/runtime/process/network/ipv4.js';
import type { TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';

const run = promisify(execFile);

export const rootSkip = process.getuid?.() !== 0 ? 'needs root (namespaces, mounts, a bridge)' : false;

export type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function sh(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: timeoutMs, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject)
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url}: timeout`));
      });
  });
}

/** A free TCP port on 127.0.0.1 (bound and released at once). */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `kubectl apply -f -` of YAML text; throws with kubectl's output when it fails. */
export async function apply(s: TestServer, yaml: string): Promise<void> {
  const r = await s.kubectl(['apply', '-f', '-'], { stdin: yaml });
  if (r.code !== 0) throw new Error(`kubectl apply failed (${r.code}): ${r.stderr}${r.stdout}`);
}

export async function kc(s: TestServer, args: string[], opts: Parameters<TestServer['kubectl']>[1] = {}): Promise<string> {
  const r = await s.kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export async function getPod(s: TestServer, name: string, ns = 'default'): Promise<J | undefined> {
  const r = await s.api().get(`/api/v1/namespaces/${ns}/pods/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`GET pod ${name}: ${r.status} ${r.text}`);
  return r.json;
}

export const condition = (p: J, type: string): string | undefined => (p?.status?.conditions ?? []).find((c: J) => c.type === type)?.status;
export const isReady = (p: J): boolean => p?.status?.phase === 'Running' && condition(p, 'Ready') === 'True';

/** Waits for the pod to satisfy pred and returns it. */
export function waitPod(s: TestServer, name: string, pred: (p: J) => boolean, what: string, timeoutMs = 30_000, ns = 'default'): Promise<J> {
  return waitFor(async () => {
    const p = await getPod(s, name, ns);
    return p && pred(p) ? p : undefined;
  }, { what: `${name}: ${what}`, timeoutMs, intervalMs: 100 });
}

export const waitReady = (s: TestServer, name: string, timeoutMs = 30_000, ns = 'default') => waitPod(s, name, isReady, 'Running and Ready', timeoutMs, ns);

/** The pod's containers' exec-ready state: the named container reports running. */
export const containerRunning = (p: J, c: string): boolean => !!(p?.status?.containerStatuses ?? []).find((x: J) => x.name === c)?.state?.running;

/** Files named `name` under dir, never crossing into another file system (like find -xdev). */
export function findFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  const dev = statDev(dir);
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.name === name) out.push(p);
      if (e.isDirectory() && statDev(p) === dev) walk(p);
    }
  };
  walk(dir);
  return out;
}

function statDev(p: string): number | undefined {
  try {
    return statSync(p).dev;
  } catch {
    return undefined;
  }
}

/**
 * Everything of the instance with this data dir that is still on the host: network
 * namespaces, links (bridge and veths), routes into its CIDRs in any table, mounts under the
 * data dir, overlay (sandbox) directories, cgroups, its nftables table and processes (shims and
 * container processes: a command line naming the data dir, a root inside it, or a cgroup of
 * the instance).
 * An empty list means nothing remains.
 */
export async function leftovers(dataDir: string, cidrs: string[]): Promise<string[]> {
  const found: string[] = [];
  const names = namesFor(instanceIdFor(dataDir));
  for (const ns of (await sh('ip', ['netns', 'list'])).stdout.split('\n')) {
    if (ns.startsWith(names.netnsPrefix)) found.push(`netns ${ns.split(' ')[0]}`);
  }
  const links = JSON.parse((await sh('ip', ['-j', 'link', 'show'])).stdout || '[]') as { ifname: string }[];
  for (const l of links) if (l.ifname === names.bridge || l.ifname.startsWith(names.vethPrefix)) found.push(`link ${l.ifname}`);
  const ranges = cidrs.map(parseCidr);
  for (const line of (await sh('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout.split('\n')) {
    const dst = /^(?:(?:unreachable|blackhole|prohibit|local|broadcast|unicast)\s+)?(\d+\.\d+\.\d+\.\d+(?:\/\d+)?)\s/.exec(line)?.[1];
    if (!dst) continue;
    const c = parseCidr(dst.includes('/') ? dst : `${dst}/32`);
    if (ranges.some((r) => overlaps(r, c))) found.push(`route ${line.trim()}`);
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (mp && (mp === dataDir || mp.startsWith(dataDir + '/'))) found.push(`mount ${mp}`);
  }
  for (const sub of ['sandboxes']) {
    const d = path.join(dataDir, sub);
    if (existsSync(d)) for (const e of readdirSync(d)) found.push(`directory ${path.join(d, e)}`);
  }
  found.push(...cgroupLeftovers(names.instanceId));
  const tables = (await sh('nft', ['list', 'tables'])).stdout;
  if (tables.split('\n').some((l) => l.trim().split(/\s+/).pop() === names.nftTable)) found.push(`nft table ${names.nftTable}`);
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const root = readlinkSync(`/proc/${pid}/root`);
      // Container processes run chrooted in another mount namespace: their cgroups name the instance.
      const inCgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/ordinal-${names.instanceId}/`);
      if (cmd.includes(dataDir) || root.startsWith(dataDir) || inCgroup) found.push(`process ${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Cgroup directories named after the instance: at each hierarchy's top and under ours. */
function cgroupLeftovers(instanceId: string): string[] {
  const base = '/sys/fs/cgroup';
  if (!existsSync(base)) return [];
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (ctrls === undefined || p === undefined) continue;
    for (const c of ctrls.split(',')) own.set(c.replace(/^name=/, ''), p);
  }
  const out: string[] = [];
  const want = `ordinal-${instanceId}`;
  for (const h of readdirSync(base)) {
    const candidates = new Set([path.join(base, h, want)]);
    for (const [c, p] of own) if (h.split(',').includes(c)) candidates.add(path.join(base, h, p, want));
    for (const c of candidates) if (existsSync(c)) out.push(`cgroup ${c}`);
  }
  return out;
}

/** Host-side `ip route get`: the kernel's answer for dst (an error line counts as an answer). */
export async function routeGet(dst: string): Promise<string> {
  const r = await sh('ip', ['route', 'get', dst]);
  return `${r.stdout}${r.stderr}`.trim();
}

/** Keeps overlapping CIDR checks honest: does cidr contain ip? */
export function cidrContains(cidr: string, ip: string): boolean {
  return overlaps(parseCidr(cidr), parseCidr(`${ip}/32`));
}
