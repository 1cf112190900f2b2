// Writing a DNS message into a shared 64 KiB scratch buffer with name compression (RFC 1035 §4.1.4).
// Suffixes match octet for octet: a pointer never changes the case a name was written in, so
// every name decodes exactly as it was given (answers to a 0x20-randomised question included).

import type { Name } from './name.js';
import { WireError } from './wire-error.js';

const MAX_MESSAGE = 65535;
/** A pointer has 14 bits of offset. */
const MAX_POINTER_TARGET = 0x3fff;

/** Encoding is synchronous and never nested, so one scratch buffer serves every message. */
const scratch = Buffer.allocUnsafe(MAX_MESSAGE);

export class Writer {
  private readonly buf = scratch;
  private readonly suffixes = new Map<string, number>();
  offset = 0;

  private need(n: number): void {
    if (this.offset + n > MAX_MESSAGE) throw new WireError('message exceeds 65535 octets');
  }

  u8(v: number): void {
    this.need(1);
    this.buf[this.offset++] = v & 0xff;
  }

  u16(v: number): void {
    this.need(2);
    this.buf.writeUInt16BE(v & 0xffff, this.offset);
    this.offset += 2;
  }

  u32(v: number): void {
    this.need(4);
    this.buf.writeUInt32BE(v >>> 0, this.offset);
    this.offset += 4;
  }

  bytes(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }

  /** Overwrites a 16-bit value written earlier (RDLENGTH, section counts). */
  patch16(at: number, v: number): void {
    this.buf.writeUInt16BE(v & 0xffff, at);
  }

  name(name: Name, compress = true): void {
    for (let i = 0; i < name.length; i++) {
      const suffix = name.slice(i);
      const key = exactKey(suffix);
      const at = compress ? this.suffixes.get(key) : undefined;
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.offset <= MAX_POINTER_TARGET && !this.suffixes.has(key)) this.suffixes.set(key, this.offset);
      const label = name[i]!;
      this.u8(label.length);
      this.need(label.length);
      this.buf.write(label, this.offset, 'latin1');
      this.offset += label.length;
    }
    this.u8(0);
  }

  /** A copy of what was written: the scratch buffer is reused by the next message. */
  finish(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.offset));
  }
}

/** Length-prefixed labels: unambiguous whatever octets the labels hold. */
function exactKey(name: Name): string {
  let k = '';
  for (const l of name) k += String.fromCharCode(l.length) + l;
  return k;
}
