// Bounds-checked reading of a DNS message: every read that would run past the end, every bad
// compression pointer, every over-long name throws WireError.

import { MAX_LABEL_OCTETS, MAX_NAME_OCTETS } from './constants.js';
import type { Name } from './name.js';
import { WireError } from './wire-error.js';

/** A name may chain at most this many pointers; real messages use one or two. */
const MAX_POINTER_HOPS = 64;

export class Reader {
  offset = 0;
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number): void {
    if (n > this.remaining) throw new WireError(`message truncated at offset ${this.offset} (need ${n} octets)`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.offset]! << 8) | this.buf[this.offset + 1]!;
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const o = this.offset;
    this.offset += 4;
    return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Reads a (possibly compressed) name; the reader ends just after its inline part. */
  name(): Name {
    const { labels, next } = readNameAt(this.buf, this.offset);
    this.offset = next;
    return labels;
  }
}

/**
 * Pointers must point strictly backwards from where the pointer itself sits, which with the
 * hop limit rules out loops; the total length is checked as labels accumulate.
 */
export function readNameAt(buf: Uint8Array, start: number): { labels: string[]; next: number } {
  const labels: string[] = [];
  let pos = start;
  let next = -1;
  let octets = 1;
  let hops = 0;
  let floor = start;
  for (;;) {
    if (pos >= buf.length) throw new WireError('name runs past the end of the message');
    const len = buf[pos]!;
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireError('compression pointer truncated');
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (next < 0) next = pos + 2;
      if (target >= floor) throw new WireError('compression pointer does not point backwards');
      if (++hops > MAX_POINTER_HOPS) throw new WireError('too many compression pointers');
      floor = target;
      pos = target;
      continue;
    }
    if (kind !== 0) throw new WireError('unsupported label type');
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { labels, next };
    }
    if (len > MAX_LABEL_OCTETS) throw new WireError('label too long');
    if (pos + 1 + len > buf.length) throw new WireError('label runs past the end of the message');
    octets += 1 + len;
    if (octets > MAX_NAME_OCTETS) throw new WireError('name longer than 255 octets');
    labels.push(latin1(buf, pos + 1, len));
    pos += 1 + len;
  }
}

function latin1(buf: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) s += String.fromCharCode(buf[i]!);
  return s;
}
