// Helpers for the network tests that run against the real kernel (root only).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { readHostRoutes, routeDestination } from '../../../src/node/runtime/process/network/host-routes.js';
import { overlaps, parseCidr, type Cidr } from '../../../src/node/runtime/process/network/ipv4.js';

const run = promisify(execFile);

export function rootSkipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, bridges, routes)';
  return false;
}

/** `count` random /16s inside 10.0.0.0/8 that overlap no host route and each other. */
export async function pickFreeRanges(count: number): Promise<string[]> {
  const taken: Cidr[] = (await readHostRoutes()).map(routeDestination).filter((c): c is Cidr => !!c && c.prefix > 0);
  const picked: string[] = [];
  for (let tries = 0; picked.length < count; tries++) {
    if (tries > 1000) throw new Error('no free /16 in 10.0.0.0/8');
    const candidate = `10.${randomInt(1, 255)}.0.0/16`;
    const c = parseCidr(candidate);
    if (taken.some((t) => overlaps(t, c))) continue;
    taken.push(c);
    picked.push(candidate);
  }
  return picked;
}

export async function sh(file: string, args: string[]): Promise<string> {
  const { stdout } = await run(file, args, { encoding: 'utf8' });
  return stdout;
}

export async function shResult(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export async function pollUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A python HTTP server bound to the pod's IP inside its netns, serving `dir`. */
export function startPodHttpServer(netnsName: string, bindIp: string, port: number, dir: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', netnsName, 'python3', '-m', 'http.server', String(port), '--bind', bindIp, '--directory', dir], {
    stdio: 'ignore',
  });
}

const FETCH = [
  'import sys, urllib.request',
  'print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())',
].join('\n');

/** Fetches a URL from inside a pod's netns (python, no curl). */
export function fetchFromPod(netnsName: string, url: string) {
  return shResult('ip', ['netns', 'exec', netnsName, 'python3', '-c', FETCH, url]);
}

const CONNECT = [
  'import socket, sys',
  's = socket.socket()',
  's.settimeout(2)',
  'try:',
  '    s.connect((sys.argv[1], int(sys.argv[2])))',
  '    print("connected")',
  'except OSError as e:',
  '    print(type(e).__name__, e.errno)',
].join('\n');

/** Tries a TCP connect from inside a pod and reports how it ended. */
export async function connectFromPod(netnsName: string, host: string, port: number): Promise<string> {
  return (await sh('ip', ['netns', 'exec', netnsName, 'python3', '-c', CONNECT, host, String(port)])).trim();
}
