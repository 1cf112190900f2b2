// The HTTP side of an upgrade: which protocol the client asked for, the 101 answers for
// WebSocket and SPDY, and error answers written straight onto a raw socket (after the
// upgrade event Node no longer offers a ServerResponse).

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../api/errors.js';
import { acceptKey } from './websocket-frames.js';

/** Every value of a header, whether repeated or comma-joined (Node joins unknown repeats). */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.headersDistinct[name.toLowerCase()] ?? [];
  return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const up = (req.headers.upgrade ?? '').toLowerCase();
  if (up === 'websocket') return 'websocket';
  if (up.startsWith('spdy/3.1')) return 'spdy';
  return undefined;
}

/** The first protocol in the client's order that we support. */
export function pickProtocol(offered: string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

export function acceptWebSocket(req: IncomingMessage, socket: Duplex, supported: readonly string[]): string {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || key === '' || req.headers['sec-websocket-version'] !== '13') {
    throw new StatusError(400, 'BadRequest', 'invalid WebSocket handshake (need Sec-WebSocket-Key and Sec-WebSocket-Version: 13)');
  }
  const offered = headerValues(req, 'sec-websocket-protocol');
  const protocol = pickProtocol(offered, supported);
  if (!protocol) {
    throw new StatusError(400, 'BadRequest', `unable to upgrade: no supported WebSocket subprotocol in [${offered.join(' ')}], this server speaks [${supported.join(' ')}]`);
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n` +
      `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  return protocol;
}

export function acceptSpdy(req: IncomingMessage, socket: Duplex, supported: readonly string[]): string {
  const offered = headerValues(req, 'x-stream-protocol-version');
  const protocol = pickProtocol(offered, supported);
  if (!protocol) {
    throw new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`);
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  return protocol;
}

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/** Answers an upgrade request with a Kubernetes Status and closes the socket. */
export function writeStatusToSocket(socket: Duplex, err: StatusError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${REASON_PHRASES[err.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
