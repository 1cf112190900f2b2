// RFC 6455 framing: the opening-handshake accept key, frame encoding and an incremental
// frame parser. Pure byte work; the connection state machine is websocket-connection.ts.

import { createHash } from 'node:crypto';

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** A frame as it travelled, payload already unmasked. */
export interface WsFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Larger frames are refused: nothing kubectl sends comes near it, and it bounds memory. */
export const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The `Sec-WebSocket-Accept` answer to a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

export class WsProtocolError extends Error {
  constructor(message: string, readonly closeCode = 1002) {
    super(message);
  }
}

/** XORs in place with the 4-byte mask (the same operation masks and unmasks). */
export function applyMask(data: Buffer, mask: Buffer): void {
  for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ mask[i & 3]!;
}

/**
 * Encodes one frame. Servers send unmasked frames; clients must mask, so a client passes
 * a 4-byte `mask` (random in practice, fixed in tests).
 */
export function encodeFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const fin = opts.fin ?? true;
  const len = payload.length;
  const lenBytes = len < 126 ? 0 : len <= 0xffff ? 2 : 8;
  const maskBytes = opts.mask ? 4 : 0;
  const out = Buffer.allocUnsafe(2 + lenBytes + maskBytes + len);
  out[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  const maskBit = opts.mask ? 0x80 : 0;
  if (lenBytes === 0) out[1] = maskBit | len;
  else if (lenBytes === 2) {
    out[1] = maskBit | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = maskBit | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  let off = 2 + lenBytes;
  if (opts.mask) {
    opts.mask.copy(out, off, 0, 4);
    off += 4;
  }
  payload.copy(out, off);
  if (opts.mask) applyMask(out.subarray(off), opts.mask);
  return out;
}

/** A close frame's payload: 2-byte code plus an optional UTF-8 reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const r = Buffer.from(reason, 'utf8');
  const out = Buffer.allocUnsafe(2 + r.length);
  out.writeUInt16BE(code, 0);
  r.copy(out, 2);
  return out;
}

/**
 * Incremental parser: push() bytes as they arrive and get the frames completed so far.
 * `expectMasked` enforces the direction rule (a server only accepts masked frames).
 */
export class WsFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly expectMasked: boolean) {}

  push(chunk: Buffer): WsFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: WsFrame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) break;
      frames.push(f);
    }
    return frames;
  }

  private next(): WsFrame | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    if ((b[0]! & 0x70) !== 0) throw new WsProtocolError('reserved bits set without a negotiated extension');
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    if (masked !== this.expectMasked) throw new WsProtocolError(masked ? 'unexpected masked frame' : 'client frames must be masked');
    let len = b[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(MAX_FRAME_PAYLOAD)) throw new WsProtocolError('frame too large', 1009);
      len = Number(big);
      off = 10;
    }
    if (len > MAX_FRAME_PAYLOAD) throw new WsProtocolError('frame too large', 1009);
    if (opcode >= 0x8 && (len > 125 || !fin)) throw new WsProtocolError('invalid control frame');
    const maskOff = off;
    if (masked) off += 4;
    if (b.length < off + len) return undefined;
    // Copy: the payload outlives this buffer, which the next push() replaces.
    const payload = Buffer.from(b.subarray(off, off + len));
    if (masked) applyMask(payload, b.subarray(maskOff, maskOff + 4));
    this.buf = b.subarray(off + len);
    return { fin, opcode, payload };
  }
}
