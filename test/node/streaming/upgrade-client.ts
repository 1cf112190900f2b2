// Hand-written clients for the streaming protocols, as kubectl speaks them
// (research/kubectl-compat.md §9): a raw HTTP upgrade over TLS, then WebSocket or SPDY
// built on the codecs under test.

import { randomBytes } from 'node:crypto';
import { connect, type TLSSocket } from 'node:tls';
import { WsConnection } from '../../../src/node/streaming/websocket-connection.js';
import { spdyOverSocket } from '../../../src/node/streaming/spdy-transports.js';
import type { SpdySession, SpdyStream } from '../../../src/node/streaming/spdy-session.js';

export interface Endpoint {
  port: number;
  ca: string;
  token: string;
}

export interface UpgradeResult {
  status: number;
  headers: Record<string, string>;
  socket: TLSSocket;
  /** Bytes after the response head (upgrade) or the body (error answers). */
  rest: Buffer;
}

/** Sends one request and reads the response head; for non-101 answers also the body. */
export function rawUpgrade(ep: Endpoint, method: string, path: string, headers: [string, string][]): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: ep.port, ca: ep.ca }, () => {
      const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${ep.port}`, `Authorization: Bearer ${ep.token}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...headerLines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(statusLine!.split(' ')[1]);
      const h: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        h[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      socket.off('data', onData);
      let rest = buf.subarray(end + 4);
      if (status === 101) {
        socket.pause();
        resolve({ status, headers: h, socket, rest });
        return;
      }
      socket.on('data', (more: Buffer) => (rest = Buffer.concat([rest, more])));
      socket.on('close', () => resolve({ status, headers: h, socket, rest }));
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

export async function openWebSocket(ep: Endpoint, path: string, protocols: string[]): Promise<{ ws: WsConnection; protocol: string; result: UpgradeResult }> {
  const result = await rawUpgrade(ep, 'GET', path, [
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Key', randomBytes(16).toString('base64')],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Protocol', protocols.join(', ')],
  ]);
  if (result.status !== 101) throw new Error(`WebSocket upgrade refused: ${result.status} ${result.rest.toString()}`);
  const ws = new WsConnection(result.socket, 'client', result.rest);
  result.socket.resume();
  return { ws, protocol: result.headers['sec-websocket-protocol'] ?? '', result };
}

export async function openSpdy(ep: Endpoint, path: string, protocols: string[]): Promise<{ session: SpdySession; protocol: string }> {
  const result = await rawUpgrade(ep, 'POST', path, [
    ['Content-Length', '0'],
    ['Connection', 'Upgrade'],
    ['Upgrade', 'SPDY/3.1'],
    ...protocols.map((p): [string, string] => ['X-Stream-Protocol-Version', p]),
  ]);
  if (result.status !== 101) throw new Error(`SPDY upgrade refused: ${result.status} ${result.rest.toString()}`);
  const session = spdyOverSocket(result.socket, 'client', result.rest);
  result.socket.resume();
  return { session, protocol: result.headers['x-stream-protocol-version'] ?? '' };
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  status: Record<string, unknown>;
}

/** A v5 WebSocket exec: sends stdin (then the [255,0] close signal) and collects the channels. */
export async function wsExec(ep: Endpoint, path: string, opts: { stdin?: Buffer[]; closeStdin?: boolean; resize?: { Width: number; Height: number } } = {}): Promise<ExecResult & { raw: Buffer[] }> {
  const { ws } = await openWebSocket(ep, path, ['v5.channel.k8s.io']);
  const out: Record<number, Buffer[]> = { 1: [], 2: [], 3: [] };
  const raw: Buffer[] = [];
  const closed = new Promise<void>((r) => ws.onClose(() => r()));
  ws.onMessage((data) => {
    raw.push(data);
    out[data[0]!]?.push(data.subarray(1));
  });
  if (opts.resize) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify(opts.resize) + '\n')]));
  for (const chunk of opts.stdin ?? []) ws.send(Buffer.concat([Buffer.from([0]), chunk]));
  if (opts.closeStdin ?? true) ws.send(Buffer.from([255, 0]));
  await closed;
  const text = (ch: number) => Buffer.concat(out[ch]!).toString('utf8');
  return { stdout: text(1), stderr: text(2), status: JSON.parse(text(3) || '{}') as Record<string, unknown>, raw };
}

export function collect(s: SpdyStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  s.incoming.on('data', (d: Buffer) => chunks.push(d));
  return new Promise((r) => s.incoming.on('end', () => r(Buffer.concat(chunks))));
}
