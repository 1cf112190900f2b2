// A SPDY/3 connection: streams opened by the peer (the server role, what kubectl talks
// to) or by us (the client role, for tests), each with a readable side fed by DATA frames
// and a FIN, and a writable side sent as DATA frames. No flow control: kubectl's
// spdystream neither enforces nor needs it (research/kubectl-compat.md §9.3).

import { PassThrough, Writable } from 'node:stream';
import {
  SpdyFrameParser, encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSynReply, encodeSynStream, RST, type SpdyFrame,
} from './spdy-frames.js';
import { HeaderBlockCompressor, HeaderBlockDecompressor, decodeNameValues, encodeNameValues, type HeaderList } from './spdy-header-block.js';

/** Where frames go: a raw socket, or WebSocket messages for the tunnelled form. */
export interface SpdyTransport {
  write(data: Buffer): boolean;
  /** Resolves once the transport can take more bytes. */
  drained(): Promise<void>;
  end(): void;
}

const MAX_DATA_CHUNK = 64 * 1024;

export class SpdyStream {
  /** Bytes the peer sent on this stream; ends at the peer's FIN (or a reset). */
  readonly incoming = new PassThrough();
  /** Our side as a Writable: piping into it sends DATA frames; end() sends FIN. */
  readonly outgoing: Writable;
  replyHeaders: HeaderList | undefined;
  private localFin = false;
  private wasReset = false;
  private replied = false;
  private readonly resetListeners: (() => void)[] = [];
  private readonly replyListeners: (() => void)[] = [];

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: HeaderList) {
    this.outgoing = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (!this.write(chunk)) session.drained().then(() => cb(), cb);
        else cb();
      },
      final: (cb) => {
        this.end();
        cb();
      },
    });
    // Errors after a reset are expected (the peer went away); nobody needs to see them.
    this.outgoing.on('error', () => {});
  }

  header(name: string): string | undefined {
    return this.headers.find(([n]) => n === name.toLowerCase())?.[1];
  }

  get isReset(): boolean {
    return this.wasReset;
  }

  get finished(): boolean {
    return this.localFin || this.wasReset;
  }

  /** Answers a peer-opened stream; the peer waits for this before it writes. */
  reply(headers: HeaderList = []): void {
    if (this.replied) return;
    this.replied = true;
    this.session.sendFrame(encodeSynReply(this.id, this.session.compressHeaders(headers)));
  }

  /** Sends DATA; false once the transport buffers (await session.drained()). */
  write(data: Buffer): boolean {
    if (this.finished || this.session.isClosed) return true;
    let ok = true;
    for (let off = 0; off < data.length; off += MAX_DATA_CHUNK) {
      ok = this.session.sendFrame(encodeData(this.id, data.subarray(off, off + MAX_DATA_CHUNK))) && ok;
    }
    return ok;
  }

  /** Half-closes our side with an empty FIN frame. */
  end(): void {
    if (this.finished) return;
    this.localFin = true;
    this.session.sendFrame(encodeData(this.id, Buffer.alloc(0), true));
    this.session.streamMaybeDone(this);
  }

  reset(status: number = RST.cancel): void {
    if (this.wasReset) return;
    this.session.sendFrame(encodeRstStream(this.id, status));
    this.markReset();
  }

  onReset(listener: () => void): void {
    if (this.wasReset) listener();
    else this.resetListeners.push(listener);
  }

  /** Client role: resolves when the peer's SYN_REPLY arrives. */
  replied$(): Promise<void> {
    if (this.replyHeaders) return Promise.resolve();
    return new Promise((r) => this.replyListeners.push(r));
  }

  /** @internal */
  markReplied(headers: HeaderList): void {
    this.replyHeaders = headers;
    for (const l of this.replyListeners.splice(0)) l();
  }

  /** @internal */
  markReset(): void {
    if (this.wasReset) return;
    this.wasReset = true;
    if (!this.incoming.writableEnded) this.incoming.end();
    for (const l of this.resetListeners.splice(0)) l();
    this.session.streamMaybeDone(this);
  }

  /** @internal */
  get remoteEnded(): boolean {
    return this.incoming.writableEnded;
  }
}

export class SpdySession {
  private readonly parser = new SpdyFrameParser();
  private readonly compressor = new HeaderBlockCompressor();
  private readonly decompressor = new HeaderBlockDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly streamListeners: ((s: SpdyStream) => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private nextStreamId: number;
  private lastRemoteId = 0;
  private closed = false;

  constructor(private readonly transport: SpdyTransport, private readonly role: 'server' | 'client') {
    // Clients open odd-numbered streams, servers even ones.
    this.nextStreamId = role === 'client' ? 1 : 2;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onStream(listener: (s: SpdyStream) => void): void {
    this.streamListeners.push(listener);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  drained(): Promise<void> {
    return this.transport.drained();
  }

  /** Feeds bytes from the transport. A protocol error ends the connection. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const f of this.parser.push(chunk)) this.handle(f);
    } catch {
      this.sendFrame(encodeGoAway(this.lastRemoteId, 1));
      this.close();
    }
  }

  openStream(headers: HeaderList, fin = false): SpdyStream {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const s = new SpdyStream(this, id, headers);
    this.streams.set(id, s);
    this.sendFrame(encodeSynStream(id, this.compressHeaders(headers), { fin }));
    return s;
  }

  ping(id: number): void {
    this.sendFrame(encodePing(id));
  }

  /** Says goodbye and ends the transport; every stream's incoming side ends. */
  close(): void {
    if (this.closed) return;
    this.sendFrame(encodeGoAway(this.lastRemoteId));
    this.transportClosed();
    this.transport.end();
  }

  /** The transport went away underneath us. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) if (!s.remoteEnded) s.incoming.end();
    for (const l of this.closeListeners.splice(0)) l();
  }

  /** @internal */
  sendFrame(frame: Buffer): boolean {
    if (this.closed) return true;
    return this.transport.write(frame);
  }

  /** @internal */
  compressHeaders(headers: HeaderList): Buffer {
    return this.compressor.compress(encodeNameValues(headers));
  }

  /** @internal Forget streams that are closed in both directions. */
  streamMaybeDone(s: SpdyStream): void {
    if (s.isReset || (s.finished && s.remoteEnded)) this.streams.delete(s.id);
  }

  private handle(f: SpdyFrame): void {
    switch (f.type) {
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s || s.remoteEnded) return;
        if (f.data.length) s.incoming.write(f.data);
        if (f.fin) {
          s.incoming.end();
          this.streamMaybeDone(s);
        }
        return;
      }
      case 'synStream': {
        // Decompress even for a refused stream: the zlib state must advance.
        const headers = decodeNameValues(this.decompressor.decompress(f.headerBlock));
        if (this.streams.has(f.streamId) || f.streamId === 0) {
          this.sendFrame(encodeRstStream(f.streamId, RST.protocolError));
          return;
        }
        this.lastRemoteId = Math.max(this.lastRemoteId, f.streamId);
        const s = new SpdyStream(this, f.streamId, headers);
        this.streams.set(f.streamId, s);
        if (f.fin) s.incoming.end();
        for (const l of this.streamListeners) l(s);
        return;
      }
      case 'synReply': {
        const headers = decodeNameValues(this.decompressor.decompress(f.headerBlock));
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.markReplied(headers);
        if (f.fin) s.incoming.end();
        return;
      }
      case 'headers':
        this.decompressor.decompress(f.headerBlock);
        return;
      case 'rstStream':
        this.streams.get(f.streamId)?.markReset();
        return;
      case 'ping':
        // Echo the peer's pings (their parity); an even/odd mismatch is the answer to ours.
        if ((f.id % 2 === 1) === (this.role === 'server')) this.sendFrame(encodePing(f.id));
        return;
      case 'goAway':
        this.transportClosed();
        this.transport.end();
        return;
      case 'settings':
      case 'windowUpdate':
      case 'unknownControl':
        return;
    }
  }
}
