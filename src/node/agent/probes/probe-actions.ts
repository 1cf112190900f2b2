// Running one probe or hook action inside a pod: exec through the runtime, httpGet and
// tcpSocket over a connection the runtime opens from the pod's network namespace. Results as
// upstream's prober reports them (success for 2xx/3xx, the body's start in failure messages,
// redirects followed only to the pod's own address).

import * as http from 'node:http';
import * as tls from 'node:tls';
import { Writable, type Duplex } from 'node:stream';
import { isPlainObject, type JsonObject } from '../../../api/object.js';
import type { Runtime } from '../../runtime/types.js';
import { probeAddress, type ClusterRanges } from './probe-target.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export type ProbeOutcome = { ok: true; warning?: string } | { ok: false; message: string };

export interface ActionTarget {
  runtime: Runtime;
  sandboxId: string;
  containerName: string;
  podIP: string;
  /** The container's spec, for named ports. */
  container: J;
  ranges: ClusterRanges;
}

function resolvePort(port: unknown, container: J): number {
  if (typeof port === 'number') return port;
  const name = str(port);
  if (/^\d+$/.test(name)) return Number(name);
  const ports = Array.isArray(container.ports) ? container.ports.filter(isPlainObject) : [];
  const p = ports.find((x) => x.name === name);
  if (!p || typeof p.containerPort !== 'number') throw new Error(`couldn't find port: ${name} in ${str(container.name)}`);
  return p.containerPort;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(new Error(what));
      }, ms);
    }),
  ]);
}

class Collect extends Writable {
  chunks: Buffer[] = [];
  size = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    // Upstream keeps at most 10 KiB of probe output.
    if (this.size < 10 * 1024) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8').slice(0, 10 * 1024);
  }
}

export async function execAction(t: ActionTarget, command: string[], timeoutMs: number): Promise<ProbeOutcome> {
  const out = new Collect();
  try {
    const code = await withTimeout(t.runtime.exec(t.sandboxId, t.containerName, command, { stdout: out, stderr: out, tty: false }), timeoutMs, `command timed out`);
    if (code === 0) return { ok: true };
    return { ok: false, message: out.text() || `command ${JSON.stringify(command)} exited with ${code}` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

export async function tcpAction(t: ActionTarget, action: J, timeoutMs: number): Promise<ProbeOutcome> {
  let port = 0;
  try {
    port = resolvePort(action.port, t.container);
    const ip = await probeAddress(str(action.host) || undefined, t.podIP, t.ranges);
    const sock = await withTimeout(t.runtime.dial(t.sandboxId, port, ip), timeoutMs, `dial tcp ${ip}:${port}: i/o timeout`);
    sock.destroy();
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

interface HttpResult {
  status: number;
  location?: string;
  body: string;
}

function httpOnce(conn: Duplex, scheme: string, hostHeader: string, path: string, headers: J[], timeoutMs: number): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const socket = scheme === 'HTTPS' ? tls.connect({ socket: conn as never, rejectUnauthorized: false, servername: undefined }) : conn;
    const hdrs: Record<string, string> = { 'User-Agent': 'kube-probe/1.33', Accept: '*/*', Host: hostHeader };
    for (const h of headers) {
      const name = str(h.name);
      if (name) hdrs[name.toLowerCase() === 'host' ? 'Host' : name] = str(h.value);
    }
    const req = http.request({ method: 'GET', path: path || '/', headers: hdrs, createConnection: () => socket as never, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 10 * 1024) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8').slice(0, 10 * 1024) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`Client.Timeout exceeded while awaiting headers`)));
    req.on('error', reject);
    req.end();
  });
}

export async function httpAction(t: ActionTarget, action: J, timeoutMs: number): Promise<ProbeOutcome> {
  const scheme = str(action.scheme) || 'HTTP';
  let path = str(action.path) || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const headers = Array.isArray(action.httpHeaders) ? action.httpHeaders.filter(isPlainObject) : [];
  let port = 0;
  let url = '';
  try {
    port = resolvePort(action.port, t.container);
    const ip = await probeAddress(str(action.host) || undefined, t.podIP, t.ranges);
    const deadline = Date.now() + timeoutMs;
    for (let hop = 0; hop <= 10; hop++) {
      url = `${scheme.toLowerCase()}://${ip}:${port}${path}`;
      const left = Math.max(1, deadline - Date.now());
      const conn = await withTimeout(t.runtime.dial(t.sandboxId, port, ip), left, `Get "${url}": dial tcp ${ip}:${port}: i/o timeout`);
      const res = await withTimeout(httpOnce(conn, scheme, str(action.host) || `${ip}:${port}`, path, headers, left), left, `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, () => conn.destroy());
      conn.destroy();
      if (res.status >= 300 && res.status < 400 && res.location) {
        const next = new URL(res.location, url);
        if (next.hostname !== ip || (next.port && Number(next.port) !== port)) {
          return { ok: true, warning: `Probe terminated redirects, Response body: ${res.body}` };
        }
        path = next.pathname + next.search;
        continue;
      }
      if (res.status >= 200 && res.status < 400) return { ok: true };
      return { ok: false, message: `HTTP probe failed with statuscode: ${res.status}` };
    }
    return { ok: false, message: `Get "${url}": stopped after 10 redirects` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** Runs the action a probe or handler names (exec, httpGet, tcpSocket, grpc or sleep). */
export async function runAction(t: ActionTarget, action: J, timeoutMs: number): Promise<ProbeOutcome> {
  if (isPlainObject(action.exec)) {
    const cmd = Array.isArray(action.exec.command) ? action.exec.command.map(String) : [];
    return execAction(t, cmd, timeoutMs);
  }
  if (isPlainObject(action.httpGet)) return httpAction(t, action.httpGet, timeoutMs);
  if (isPlainObject(action.tcpSocket)) return tcpAction(t, action.tcpSocket, timeoutMs);
  if (isPlainObject(action.sleep)) {
    const seconds = typeof action.sleep.seconds === 'number' ? action.sleep.seconds : 0;
    await new Promise((r) => setTimeout(r, Math.min(seconds * 1000, timeoutMs)));
    return { ok: true };
  }
  if (isPlainObject(action.grpc)) return { ok: false, message: 'grpc probes are not supported by this node' };
  return { ok: false, message: 'no action given' };
}
