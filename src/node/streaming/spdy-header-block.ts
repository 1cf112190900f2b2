// SPDY/3 header blocks: the name/value encoding and its compression. Each direction of a
// connection is one zlib stream (preset dictionary, one sync flush per block), so state
// carries from block to block.
//
// Both directions are synchronous, which keeps frame order trivially intact:
// * Sending: stored (uncompressed) deflate blocks. A valid zlib stream that any inflater
//   reads; header blocks are tiny, so compressing them gains nothing worth the state.
// * Receiving: a sync flush ends every deflate block on a byte boundary, so each header
//   block is a self-contained run of blocks whose only context is the 32 KiB window of
//   earlier output. A raw inflate primed with that window decodes it.

import { constants, inflateRawSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

const WINDOW = 32 * 1024;

export type HeaderList = [string, string][];

export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** `u32 count, (u32 len, name, u32 len, value)*`; names lower-cased as SPDY/3 requires. */
export function encodeNameValues(headers: HeaderList): Buffer {
  const parts: Buffer[] = [u32(headers.length)];
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** The inverse; a value holding NULs stands for several values of one name. */
export function decodeNameValues(raw: Buffer): HeaderList {
  let off = 0;
  const need = (n: number) => {
    if (off + n > raw.length) throw new Error('truncated SPDY header block');
  };
  need(4);
  const count = raw.readUInt32BE(off);
  off += 4;
  const out: HeaderList = [];
  for (let i = 0; i < count; i++) {
    need(4);
    const nl = raw.readUInt32BE(off);
    off += 4;
    need(nl);
    const name = raw.toString('utf8', off, off + nl);
    off += nl;
    need(4);
    const vl = raw.readUInt32BE(off);
    off += 4;
    need(vl);
    const value = raw.toString('utf8', off, off + vl);
    off += vl;
    for (const v of value.split('\0')) out.push([name, v]);
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** One direction's compressor. */
export class HeaderBlockCompressor {
  private started = false;

  compress(raw: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32 KiB window), FLG 0x20 (preset dictionary; 0x7820 % 31 == 0).
      parts.push(Buffer.from([0x78, 0x20]), u32(adler32(SPDY3_DICTIONARY)));
    }
    for (let off = 0; off < raw.length; off += 0xffff) parts.push(storedBlock(raw.subarray(off, off + 0xffff)));
    // The sync-flush marker: an empty stored block.
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

function storedBlock(data: Buffer): Buffer {
  const h = Buffer.allocUnsafe(5);
  h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
  h.writeUInt16LE(data.length, 1);
  h.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([h, data]);
}

/** One direction's decompressor. */
export class HeaderBlockDecompressor {
  private window: Buffer = SPDY3_DICTIONARY;
  private started = false;

  decompress(block: Buffer): Buffer {
    let body = block;
    if (!this.started) {
      if (block.length < 2 || (block[0]! & 0x0f) !== 8 || ((block[0]! << 8) | block[1]!) % 31 !== 0) {
        throw new Error('SPDY header block: not a zlib stream');
      }
      const hasDict = (block[1]! & 0x20) !== 0;
      if (hasDict && block.readUInt32BE(2) !== adler32(SPDY3_DICTIONARY)) throw new Error('SPDY header block: unknown dictionary');
      body = block.subarray(hasDict ? 6 : 2);
      this.started = true;
      if (!hasDict) this.window = Buffer.alloc(0);
    }
    const out = inflateRawSync(body, { dictionary: this.window.length ? this.window : undefined, finishFlush: constants.Z_SYNC_FLUSH });
    const joined = Buffer.concat([this.window, out]);
    this.window = joined.length > WINDOW ? Buffer.from(joined.subarray(joined.length - WINDOW)) : joined;
    return out;
  }
}
