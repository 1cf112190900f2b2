// SPDY/3 frames (draft-mbelshe-httpbis-spdy-00 §2.2, as Go's spdystream speaks it, which
// is what kubectl and the kubelet use): encoding and an incremental parser. Header blocks
// stay compressed here; spdy-session.ts owns the per-connection zlib state.

export const SPDY_VERSION = 3;

export const FRAME = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes used here. */
export const RST = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 } as const;

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedId: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'synReply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastStreamId: number; status: number }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknownControl'; controlType: number };

/** 24-bit length field. */
export const MAX_FRAME_LENGTH = 0xffffff;

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.allocUnsafe(8);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([h, body]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.allocUnsafe(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length > MAX_FRAME_LENGTH) throw new Error('SPDY data frame too large');
  const h = Buffer.allocUnsafe(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
  return Buffer.concat([h, data]);
}

export function encodeSynStream(streamId: number, headerBlock: Buffer, opts: { fin?: boolean; associatedId?: number; priority?: number } = {}): Buffer {
  const body = Buffer.concat([words(streamId & 0x7fffffff, (opts.associatedId ?? 0) & 0x7fffffff), Buffer.from([((opts.priority ?? 0) & 7) << 5, 0]), headerBlock]);
  return controlFrame(FRAME.synStream, opts.fin ? FLAG_FIN : 0, body);
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return controlFrame(FRAME.synReply, fin ? FLAG_FIN : 0, Buffer.concat([words(streamId & 0x7fffffff), headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return controlFrame(FRAME.rstStream, 0, words(streamId & 0x7fffffff, status));
}

export function encodePing(id: number): Buffer {
  return controlFrame(FRAME.ping, 0, words(id));
}

export function encodeGoAway(lastStreamId: number, status = 0): Buffer {
  return controlFrame(FRAME.goAway, 0, words(lastStreamId & 0x7fffffff, status));
}

export function encodeSettings(entries: { flags: number; id: number; value: number }[]): Buffer {
  const body = Buffer.allocUnsafe(4 + entries.length * 8);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE(((e.flags & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
    body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return controlFrame(FRAME.settings, 0, body);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return controlFrame(FRAME.windowUpdate, 0, words(streamId & 0x7fffffff, delta & 0x7fffffff));
}

export class SpdyProtocolError extends Error {}

/** Incremental parser: push() bytes, get the frames completed so far. */
export class SpdyFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const frame = Buffer.from(this.buf.subarray(0, 8 + len));
      this.buf = this.buf.subarray(8 + len);
      out.push(decodeFrame(frame));
    }
    return out;
  }
}

function need(body: Buffer, n: number, what: string): void {
  if (body.length < n) throw new SpdyProtocolError(`SPDY ${what} frame too short`);
}

/** Decodes one complete frame (header included). */
export function decodeFrame(frame: Buffer): SpdyFrame {
  const flags = frame[4]!;
  const body = frame.subarray(8);
  if ((frame[0]! & 0x80) === 0) {
    return { type: 'data', streamId: frame.readUInt32BE(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: body };
  }
  const version = frame.readUInt16BE(0) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = frame.readUInt16BE(2);
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case FRAME.synStream:
      need(body, 10, 'SYN_STREAM');
      return {
        type: 'synStream',
        streamId: body.readUInt32BE(0) & 0x7fffffff,
        associatedId: body.readUInt32BE(4) & 0x7fffffff,
        priority: body[8]! >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: body.subarray(10),
      };
    case FRAME.synReply:
      need(body, 4, 'SYN_REPLY');
      return { type: 'synReply', streamId: body.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: body.subarray(4) };
    case FRAME.headers:
      need(body, 4, 'HEADERS');
      return { type: 'headers', streamId: body.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: body.subarray(4) };
    case FRAME.rstStream:
      need(body, 8, 'RST_STREAM');
      return { type: 'rstStream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
    case FRAME.settings: {
      need(body, 4, 'SETTINGS');
      const n = body.readUInt32BE(0);
      need(body, 4 + n * 8, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < n; i++) {
        const w = body.readUInt32BE(4 + i * 8);
        entries.push({ flags: w >>> 24, id: w & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', entries };
    }
    case FRAME.ping:
      need(body, 4, 'PING');
      return { type: 'ping', id: body.readUInt32BE(0) };
    case FRAME.goAway:
      need(body, 4, 'GOAWAY');
      return { type: 'goAway', lastStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.length >= 8 ? body.readUInt32BE(4) : 0 };
    case FRAME.windowUpdate:
      need(body, 8, 'WINDOW_UPDATE');
      return { type: 'windowUpdate', streamId: body.readUInt32BE(0) & 0x7fffffff, delta: body.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknownControl', controlType: type };
  }
}
