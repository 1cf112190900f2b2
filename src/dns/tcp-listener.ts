// DNS over TCP on one address (RFC 7766): messages framed by a two-octet length, several per
// connection, answered as they complete. Idle and oversized connections are cut.

import { createServer, type Server, type Socket } from 'node:net';
import { respond, type ResponderOptions } from './responder.js';

export interface TcpListener {
  port: number;
  close(): Promise<void>;
}

const IDLE_MS = 10_000;
const MAX_CONNECTIONS = 256;
/** Queries a connection may have unanswered before we stop reading from it. */
const MAX_IN_FLIGHT = 32;

export async function listenTcp(host: string, port: number, opts: ResponderOptions, onError: (err: unknown) => void): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => serveConnection(sock, opts, onError, sockets));
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', onError);
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveConnection(sock: Socket, opts: ResponderOptions, onError: (err: unknown) => void, sockets: Set<Socket>): void {
  sockets.add(sock);
  sock.setTimeout(IDLE_MS, () => sock.destroy());
  sock.on('error', () => sock.destroy());
  sock.on('close', () => sockets.delete(sock));
  let pending = Buffer.alloc(0);
  let inFlight = 0;
  sock.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (pending.length < 2 + len) break;
      const query = pending.subarray(2, 2 + len);
      pending = pending.subarray(2 + len);
      inFlight++;
      if (inFlight >= MAX_IN_FLIGHT) sock.pause();
      respond(Uint8Array.from(query), 'tcp', opts).then(
        (answer) => {
          inFlight--;
          if (sock.isPaused() && inFlight < MAX_IN_FLIGHT) sock.resume();
          if (!answer || sock.destroyed) return;
          const frame = Buffer.allocUnsafe(2 + answer.length);
          frame.writeUInt16BE(answer.length, 0);
          frame.set(answer, 2);
          sock.write(frame);
        },
        (err) => {
          inFlight--;
          onError(err);
          sock.destroy();
        },
      );
    }
  });
}
