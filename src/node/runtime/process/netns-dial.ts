// A TCP connection opened from inside a pod's network namespace: `nsenter --net=<netns>`
// runs a tiny Python relay that connects, says OK (or the error) on stderr, then copies bytes
// between its stdio and the socket. Node cannot enter a namespace itself, and connecting from
// the host would test a different path than the kubelet's probes and port-forward take.
// The pod netns has routes for the pod and service ranges only, so nothing else is reachable.

import { spawn, type ChildProcess } from 'node:child_process';
import { isIP } from 'node:net';
import { Duplex } from 'node:stream';
import type { HostTools } from './host-tools.js';

const RELAY = String.raw`
import os, select, socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
except OSError as e:
    os.write(2, ('ERR %s\n' % (e.strerror or e)).encode())
    sys.exit(1)
s.settimeout(None)
os.write(2, b'OK\n')
rd = [0, s]
while s in rd:
    for f in select.select(rd, [], [])[0]:
        if f == 0:
            data = os.read(0, 65536)
            if data:
                s.sendall(data)
            else:
                rd.remove(0)
                s.shutdown(socket.SHUT_WR)
        else:
            try:
                data = s.recv(65536)
            except OSError:
                data = b''
            if not data:
                rd.remove(s)
                break
            while data:
                data = data[os.write(1, data):]
`;

const CONNECT_TIMEOUT_S = 10;

class RelayStream extends Duplex {
  constructor(private readonly child: ChildProcess) {
    super();
    const out = child.stdout!;
    out.on('data', (d: Buffer) => {
      if (!this.push(d)) out.pause();
    });
    out.on('end', () => this.push(null));
    child.stdin!.on('error', () => undefined);
  }

  override _read(): void {
    this.child.stdout!.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.child.stdin!.write(chunk, (err) => cb(err ?? null));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin!.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    cb(err);
  }
}

/** Resolves once connected; rejects with the connect error (refused, timed out, unreachable). */
export function dialInNetns(tools: HostTools, netnsPath: string, host: string, port: number, track?: (c: ChildProcess) => void): Promise<Duplex> {
  if (!isIP(host)) return Promise.reject(new Error(`dial: ${JSON.stringify(host)} is not an IP address (names must be resolved through the cluster DNS first)`));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return Promise.reject(new Error(`dial: invalid port ${port}`));
  const child = spawn(tools.nsenter, [`--net=${netnsPath}`, '--', tools.python, '-I', '-c', RELAY, host, String(port), String(CONNECT_TIMEOUT_S)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  track?.(child);
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    let err = '';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      if (err.startsWith('OK\n')) settle(() => resolve(new RelayStream(child)));
      else if (err.includes('\n')) settle(() => reject(new Error(`dial ${target}: ${err.replace(/^ERR /, '').trim()}`)));
    });
    child.once('error', (e) => settle(() => reject(e)));
    child.once('exit', (code) => settle(() => reject(new Error(`dial ${target}: ${err.replace(/^ERR /, '').trim() || `relay exited with ${code}`}`))));
  });
}
