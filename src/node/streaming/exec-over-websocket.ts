// Exec and attach over WebSocket (`v5.channel.k8s.io`, also `v4.channel.k8s.io`): every
// binary message is [channel][payload]. 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize;
// v5 adds 255 [255, ch], the client closing one of its channels (stdin's end).

import { PassThrough, Writable } from 'node:stream';
import { ResizeFanout, endAndFlush, type ExecChannels, type StreamOptions } from './exec-channels.js';
import type { ExecStatus } from './exec-status.js';
import type { WsConnection } from './websocket-connection.js';

export const EXEC_WEBSOCKET_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

function channelWriter(ws: WsConnection, channel: number): Writable {
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const ok = ws.send(Buffer.concat([Buffer.from([channel]), chunk]));
      if (ok) cb();
      else ws.drained().then(() => cb(), cb);
    },
  });
  w.on('error', () => {});
  return w;
}

export function websocketExecChannels(ws: WsConnection, protocol: string, opts: StreamOptions): ExecChannels {
  const resize = new ResizeFanout();
  const stdin = opts.stdin ? new PassThrough() : undefined;
  const closeSignals = protocol === 'v5.channel.k8s.io';
  ws.onMessage((data, binary) => {
    if (!binary || data.length === 0) return;
    const channel = data[0]!;
    const payload = data.subarray(1);
    if (channel === CHANNEL.stdin) {
      if (stdin && !stdin.writableEnded && payload.length) stdin.write(payload);
    } else if (channel === CHANNEL.resize) {
      resize.pushJson(payload.toString('utf8'));
    } else if (channel === CHANNEL.close && closeSignals) {
      if (payload[0] === CHANNEL.stdin && stdin && !stdin.writableEnded) stdin.end();
    }
  });
  // A vanished client means no more input: let the command see EOF.
  ws.onClose(() => {
    if (stdin && !stdin.writableEnded) stdin.end();
  });
  const stdout = opts.stdout ? channelWriter(ws, CHANNEL.stdout) : undefined;
  const stderr = opts.stderr ? channelWriter(ws, CHANNEL.stderr) : undefined;
  return {
    stdin,
    stdout,
    stderr,
    onResize: (l) => resize.add(l),
    async finish(status: ExecStatus) {
      await endAndFlush(stdout);
      await endAndFlush(stderr);
      ws.send(Buffer.concat([Buffer.from([CHANNEL.error]), Buffer.from(JSON.stringify(status))]));
      ws.close(1000);
    },
  };
}
