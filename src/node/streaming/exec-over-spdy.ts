// Exec and attach over SPDY (`v4.channel.k8s.io`, kubectl ≤ 1.29 and the fallback of later
// ones): the client opens one stream per channel, tagged by a `streamtype` header, and
// waits for a SYN_REPLY to each. The command starts once every expected stream exists.

import { ResizeFanout, endAndFlush, type ExecChannels, type StreamOptions } from './exec-channels.js';
import type { ExecStatus } from './exec-status.js';
import type { SpdySession, SpdyStream } from './spdy-session.js';

export const EXEC_SPDY_PROTOCOLS = ['v4.channel.k8s.io'] as const;

/** How long the client has to open its streams (upstream's stream creation timeout). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

/** After the status, the client normally says GOAWAY; this bounds the wait if it does not. */
const LINGER_MS = 5_000;

function expectedTypes(opts: StreamOptions): string[] {
  const t = ['error'];
  if (opts.stdin) t.push('stdin');
  if (opts.stdout) t.push('stdout');
  if (opts.stderr) t.push('stderr');
  if (opts.tty) t.push('resize');
  return t;
}

/** Resolves with the channels once all streams are open; rejects on timeout or disconnect. */
export function spdyExecChannels(session: SpdySession, opts: StreamOptions, timeoutMs = STREAM_CREATION_TIMEOUT_MS): Promise<ExecChannels> {
  const expected = expectedTypes(opts);
  const streams = new Map<string, SpdyStream>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.close();
      reject(new Error(`timed out waiting for the client's streams (have [${[...streams.keys()].join(' ')}], need [${expected.join(' ')}])`));
    }, timeoutMs);
    session.onClose(() => {
      clearTimeout(timer);
      reject(new Error('connection closed before the streams were open'));
    });
    session.onStream((s) => {
      const type = s.header('streamtype') ?? '';
      s.reply();
      if (!expected.includes(type) || streams.has(type)) {
        // Unknown or duplicate: refuse it but keep the session.
        s.reset();
        return;
      }
      streams.set(type, s);
      if (streams.size === expected.length) {
        clearTimeout(timer);
        resolve(channelsFrom(session, streams));
      }
    });
  });
}

function channelsFrom(session: SpdySession, streams: Map<string, SpdyStream>): ExecChannels {
  const resize = new ResizeFanout();
  const resizeStream = streams.get('resize');
  if (resizeStream) {
    let pending = '';
    resizeStream.incoming.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const nl = pending.lastIndexOf('\n');
      if (nl < 0) return;
      resize.pushJson(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    });
    resizeStream.incoming.on('end', () => resize.pushJson(pending));
  }
  const errorStream = streams.get('error')!;
  const stdout = streams.get('stdout')?.outgoing;
  const stderr = streams.get('stderr')?.outgoing;
  return {
    stdin: streams.get('stdin')?.incoming,
    stdout,
    stderr,
    onResize: (l) => resize.add(l),
    async finish(status: ExecStatus) {
      await endAndFlush(stdout);
      await endAndFlush(stderr);
      errorStream.write(Buffer.from(JSON.stringify(status)));
      for (const s of streams.values()) s.end();
      const linger = setTimeout(() => session.close(), LINGER_MS);
      linger.unref();
      session.onClose(() => clearTimeout(linger));
    },
  };
}
