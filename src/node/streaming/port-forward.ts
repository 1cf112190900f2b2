// Port-forward over a SPDY session (`portforward.k8s.io`), plain or tunnelled in
// WebSocket: for each local connection kubectl opens an `error` and a `data` stream with
// the same `requestid` and the target `port`. The data stream is joined to a connection
// opened from inside the pod; failures are reported as text on the error stream, which
// is closed once forwarding ends (kubectl waits for that before it lets go).

import type { Duplex } from 'node:stream';
import type { SpdySession, SpdyStream } from './spdy-session.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_WEBSOCKET_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

const PAIR_TIMEOUT_MS = 30_000;

export interface PortForwardTarget {
  podName: string;
  podUid?: string;
  dial(port: number): Promise<Duplex>;
}

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function servePortForward(session: SpdySession, target: PortForwardTarget): void {
  const pairs = new Map<string, Pair>();
  session.onStream((s) => {
    s.reply();
    const type = s.header('streamtype');
    const requestId = s.header('requestid');
    if ((type !== 'error' && type !== 'data') || requestId === undefined) {
      s.reset();
      return;
    }
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId);
        pair?.error?.reset();
        pair?.data?.reset();
      }, PAIR_TIMEOUT_MS);
      timer.unref();
      pair = { timer };
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      s.reset();
      return;
    }
    pair[type] = s;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      void forward(pair.error, pair.data, target);
    }
  });
  session.onClose(() => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
}

async function forward(errorStream: SpdyStream, data: SpdyStream, target: PortForwardTarget): Promise<void> {
  // The client only half-closes its error stream; anything it sends there is ignored.
  errorStream.incoming.resume();
  const portText = data.header('port') ?? '';
  const port = Number(portText);
  const fail = (why: string) => {
    errorStream.write(Buffer.from(`error forwarding port ${portText} to pod ${target.podName}, uid ${target.podUid ?? ''}: ${why}`));
    errorStream.end();
    data.end();
    data.incoming.resume();
  };
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    fail(`invalid port "${portText}"`);
    return;
  }
  let conn: Duplex;
  try {
    conn = await target.dial(port);
  } catch (e) {
    fail((e as Error).message);
    return;
  }
  if (data.isReset) {
    conn.destroy();
    errorStream.end();
    return;
  }
  let failed = false;
  conn.on('error', (e) => {
    if (failed) return;
    failed = true;
    fail(e.message);
  });
  data.onReset(() => conn.destroy());
  data.incoming.pipe(conn);
  conn.pipe(data.outgoing);
  conn.on('close', () => {
    if (!failed) {
      if (!data.finished) data.outgoing.end();
      errorStream.end();
    }
  });
}
