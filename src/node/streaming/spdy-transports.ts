// Carrying a SPDY session: directly on an upgraded socket (kubectl ≤ 1.30's exec and
// port-forward), or inside binary WebSocket messages (`SPDY/3.1+portforward.k8s.io`,
// kubectl ≥ 1.31's port-forward), where message boundaries mean nothing.

import type { Duplex } from 'node:stream';
import { SpdySession } from './spdy-session.js';
import type { WsConnection } from './websocket-connection.js';

export function spdyOverSocket(socket: Duplex, role: 'server' | 'client', head?: Buffer): SpdySession {
  const session = new SpdySession(
    {
      write: (b) => (socket.writable ? socket.write(b) : true),
      drained: () =>
        socket.writableNeedDrain && socket.writable
          ? new Promise((r) => {
              const done = () => {
                socket.off('drain', done);
                socket.off('close', done);
                r();
              };
              socket.on('drain', done);
              socket.on('close', done);
            })
          : Promise.resolve(),
      end: () => socket.end(),
    },
    role,
  );
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => session.transportClosed());
  socket.on('end', () => session.transportClosed());
  socket.on('error', () => session.transportClosed());
  if (head && head.length) queueMicrotask(() => session.receive(head));
  return session;
}

export function spdyOverWebSocket(ws: WsConnection, role: 'server' | 'client'): SpdySession {
  const session = new SpdySession(
    {
      write: (b) => ws.send(b, true),
      drained: () => ws.drained(),
      end: () => ws.close(1000),
    },
    role,
  );
  ws.onMessage((data) => session.receive(data));
  ws.onClose(() => session.transportClosed());
  return session;
}
