// Helpers of the networking end-to-end tests: fixture paths, kubectl wrappers that fail
// loudly, commands run inside pods, and parsers for nslookup, getent and dig output.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot, type TestServer } from '../../support/server.js';
import type { KubectlOptions } from '../../support/kubectl.js';
import { waitFor } from '../../support/wait.js';

/** The tutorial's manifests, copied as YAML files (the tests run from dist/). */
export function fixture(name: string): string {
  return path.join(repoRoot(), 'test', 'e2e', 'networking', 'fixtures', name);
}

/** Runs kubectl and returns stdout; a non-zero exit fails with both streams. */
export async function k(server: TestServer, args: string[], opts?: KubectlOptions): Promise<string> {
  const r = await server.kubectl(args, opts);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export async function kjson(server: TestServer, args: string[]): Promise<any> {
  return JSON.parse(await k(server, ['get', ...args, '-o', 'json']));
}

/** `kubectl exec POD -- sh -c SCRIPT`, whatever its exit code. */
export async function inPod(server: TestServer, pod: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await server.kubectl(['exec', pod, '--', 'sh', '-c', script]);
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like inPod, but a non-zero exit fails. */
export async function mustInPod(server: TestServer, pod: string, script: string): Promise<string> {
  const r = await inPod(server, pod, script);
  assert.equal(r.code, 0, `in ${pod}: ${script} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const sortIPs = (ips: string[]) => [...new Set(ips)].sort();

/** The answer addresses of `nslookup` (bind9's), without the server's own `Address: x#53` line. */
export function nslookupAddresses(out: string): string[] {
  return sortIPs([...out.matchAll(/^Address:\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]!));
}

/** The canonical name nslookup printed for its answers. */
export function nslookupNames(out: string): string[] {
  return [...new Set([...out.matchAll(/^Name:\s+(\S+)\s*$/gm)].map((m) => m[1]!))];
}

/** SRV targets printed by `nslookup -type=SRV` (`service = prio weight port target.`). */
export function nslookupSrv(out: string): { port: number; target: string }[] {
  return [...out.matchAll(/service = \d+ \d+ (\d+) (\S+?)\.?\s*$/gm)].map((m) => ({ port: Number(m[1]), target: m[2]! })).sort((a, b) => a.target.localeCompare(b.target));
}

/** `getent ahostsv4 NAME` from inside a pod: its addresses (none when the name does not resolve). */
export async function getentIPs(server: TestServer, pod: string, name: string): Promise<string[]> {
  const r = await inPod(server, pod, `getent ahostsv4 ${name}`);
  if (r.code !== 0) return [];
  return sortIPs(r.stdout.split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x)));
}

/** `nslookup NAME` from inside a pod: its answer addresses (none on NXDOMAIN). */
export async function nslookupIPs(server: TestServer, pod: string, name: string): Promise<string[]> {
  const r = await inPod(server, pod, `nslookup ${name}`);
  return r.code === 0 ? nslookupAddresses(r.stdout) : [];
}

/** The port of the cluster DNS for the host, from the ready line. */
export function hostDnsPort(server: TestServer): number {
  const m = /cluster DNS at 127\.0\.0\.1:(\d+)/.exec(server.logs());
  assert.ok(m, `no "cluster DNS at 127.0.0.1:<port>" in the ready line:\n${server.logs().slice(0, 2000)}`);
  return Number(m[1]);
}

/** `dig @127.0.0.1 -p PORT +short NAME TYPE`, as lines. */
export function dig(port: number, name: string, type = 'A'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=3', name, type], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`dig ${name} ${type}: ${stderr || err.message}`));
      else resolve(stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    });
  });
}

export async function digIPs(port: number, name: string): Promise<string[]> {
  return sortIPs(await dig(port, name, 'A'));
}

export interface PodInfo {
  name: string;
  uid: string;
  ip: string;
  ready: boolean;
}

export async function podInfo(server: TestServer, name: string): Promise<PodInfo | undefined> {
  const r = await server.kubectl(['get', 'pod', name, '-o', 'json']);
  if (r.code !== 0) return undefined;
  const pod = JSON.parse(r.stdout);
  const ready = (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  return { name, uid: pod.metadata.uid, ip: pod.status?.podIP ?? '', ready: ready && !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' };
}

/** Waits until the pod is Running and Ready (and, with `oldUid`, is a new pod). */
export async function waitPodReady(server: TestServer, name: string, opts: { oldUid?: string; timeoutMs?: number } = {}): Promise<PodInfo> {
  return waitFor(
    async () => {
      const p = await podInfo(server, name);
      return p && p.ready && p.ip && p.uid !== opts.oldUid ? p : undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 60_000, intervalMs: 150, what: `pod ${name} Running and Ready` },
  );
}

export async function waitReadyReplicas(server: TestServer, sts: string, n: number): Promise<void> {
  await waitFor(
    async () => {
      const s = await kjson(server, ['sts', sts]);
      return s.status?.readyReplicas === n && s.status?.replicas === n ? true : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `${sts} with ${n} ready replicas` },
  );
}
