// DNS over UDP on one address: each datagram is one query, each answer one datagram.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { respond, type ResponderOptions } from './responder.js';

export interface UdpListener {
  port: number;
  close(): Promise<void>;
}

export async function listenUdp(host: string, port: number, opts: ResponderOptions, onError: (err: unknown) => void): Promise<UdpListener> {
  const sock: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ address: host, port, exclusive: true }, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  let closed = false;
  sock.on('error', onError);
  sock.on('message', (msg, rinfo) => {
    respond(msg, 'udp', opts).then(
      (answer) => {
        if (answer && !closed) sock.send(answer, rinfo.port, rinfo.address, (err) => err && !closed && onError(err));
      },
      onError,
    );
  });
  return {
    port: sock.address().port,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        sock.close(() => resolve());
      }),
  };
}
