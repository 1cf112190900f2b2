// ordinal's side of the connection to one pod shim: request/reply with ids, exit events to a
// listener, and a `closed` signal when the shim goes away. Connecting again after a restart
// of ordinal is just creating a new client.

import net from 'node:net';
import type { ShimExitEvent, ShimReply, ShimRequest } from './shim-protocol.js';

/** Unix socket paths longer than this do not fit in sockaddr_un. */
const MAX_SOCKET_PATH = 100;

interface Pending {
  resolve(reply: ShimReply): void;
  reject(err: Error): void;
}

export class ShimClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private closedFlag = false;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(
    private readonly socket: net.Socket,
    private readonly onExit: (e: ShimExitEvent) => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  /**
   * Connects to the shim's socket. A path too long for a unix socket address is reached
   * through the shim's cwd (the sandbox dir), which /proc exposes as a short path.
   */
  static connect(socketPath: string, shimHostPid: number, onExit: (e: ShimExitEvent) => void): Promise<ShimClient> {
    const target = socketPath.length <= MAX_SOCKET_PATH ? socketPath : `/proc/${shimHostPid}/cwd/shim.sock`;
    return new Promise((resolve, reject) => {
      const socket = net.connect(target);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new ShimClient(socket, onExit));
      });
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  onClosed(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  request(req: ShimRequest): Promise<ShimReply> {
    if (this.closedFlag) return Promise.reject(new Error('the pod shim is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(JSON.stringify({ ...req, id }) + '\n');
    }).then((reply) => {
      const r = reply as ShimReply;
      if (!r.ok) throw new Error(r.error ?? 'the pod shim refused the request');
      return r;
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      let msg: ShimReply | ShimExitEvent;
      try {
        msg = JSON.parse(line) as ShimReply | ShimExitEvent;
      } catch {
        continue;
      }
      if ('event' in msg) {
        this.onExit(msg);
      } else {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg);
      }
    }
  }

  private onClose(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const p of this.pending.values()) p.reject(new Error('the pod shim closed the connection'));
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l();
  }
}
