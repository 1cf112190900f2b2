// A WebSocket connection over an already-upgraded socket: reassembles fragmented
// messages, answers pings, runs the closing handshake. The server role is what the
// streaming server uses; the client role serves tests (and masks, as RFC 6455 requires).

import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { OPCODE, WsFrameParser, WsProtocolError, closePayload, encodeFrame, MAX_FRAME_PAYLOAD } from './websocket-frames.js';

export type WsRole = 'server' | 'client';

export class WsConnection {
  private readonly parser: WsFrameParser;
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentBytes = 0;
  private messageListeners: ((data: Buffer, binary: boolean) => void)[] = [];
  private closeListeners: ((code: number | undefined) => void)[] = [];
  private sentClose = false;
  private closedFired = false;

  constructor(readonly socket: Duplex, private readonly role: WsRole, head?: Buffer) {
    this.parser = new WsFrameParser(role === 'server');
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.fireClose(undefined));
    socket.on('error', () => this.fireClose(undefined));
    socket.on('end', () => this.fireClose(undefined));
    if (head && head.length) queueMicrotask(() => this.receive(head));
  }

  get closed(): boolean {
    return this.sentClose || this.closedFired;
  }

  onMessage(listener: (data: Buffer, binary: boolean) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (code: number | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  /** Sends one message; false means the socket buffer is full (see drained()). */
  send(data: Buffer, binary = true): boolean {
    if (this.closed) return false;
    return this.socket.write(this.frame(binary ? OPCODE.binary : OPCODE.text, data));
  }

  /** Resolves when the socket can take more (or is gone), for backpressure. */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  ping(data = Buffer.alloc(0)): void {
    if (!this.closed) this.socket.write(this.frame(OPCODE.ping, data));
  }

  /** Starts the closing handshake; the socket is ended once our close frame is written. */
  close(code = 1000, reason = ''): void {
    if (this.sentClose) return;
    this.sentClose = true;
    if (this.socket.writable) this.socket.end(this.frame(OPCODE.close, closePayload(code, reason)));
    else this.socket.destroy();
  }

  private frame(opcode: number, payload: Buffer): Buffer {
    return encodeFrame(opcode, payload, this.role === 'client' ? { mask: randomBytes(4) } : {});
  }

  private receive(chunk: Buffer): void {
    let frames;
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      const code = e instanceof WsProtocolError ? e.closeCode : 1002;
      this.close(code, (e as Error).message);
      this.socket.destroy();
      return;
    }
    for (const f of frames) this.handleFrame(f.fin, f.opcode, f.payload);
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.ping:
        if (!this.closed) this.socket.write(this.frame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
        // Echo the close (RFC 6455 §5.5.1) unless we started the handshake.
        this.close(code ?? 1000);
        this.fireClose(code);
        return;
      }
      case OPCODE.continuation:
        if (!this.fragments.length) return this.protocolError('continuation without a start');
        this.addFragment(payload);
        break;
      case OPCODE.text:
      case OPCODE.binary:
        if (this.fragments.length) return this.protocolError('new message inside a fragmented one');
        this.fragmentOpcode = opcode;
        this.addFragment(payload);
        break;
      default:
        return this.protocolError(`unknown opcode ${opcode}`);
    }
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const binary = this.fragmentOpcode === OPCODE.binary;
    this.fragments = [];
    this.fragmentBytes = 0;
    for (const l of this.messageListeners) l(data, binary);
  }

  private addFragment(payload: Buffer): void {
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_FRAME_PAYLOAD) return this.protocolError('message too large');
    this.fragments.push(payload);
  }

  private protocolError(why: string): void {
    this.close(1002, why);
    this.socket.destroy();
  }

  private fireClose(code: number | undefined): void {
    if (this.closedFired) return;
    this.closedFired = true;
    for (const l of this.closeListeners) l(code);
  }
}
