// Record data for the types the server answers with; anything else stays raw octets.

import { isIPv4, isIPv6 } from 'node:net';
import { RRType } from './constants.js';
import type { Name } from './name.js';
import { readNameAt, type Reader } from './reader.js';
import { WireError } from './wire-error.js';
import type { Writer } from './writer.js';

export type RData =
  | { kind: 'a'; address: string }
  | { kind: 'aaaa'; address: string }
  /** CNAME, PTR, NS: a single domain name. */
  | { kind: 'name'; target: Name }
  | { kind: 'srv'; priority: number; weight: number; port: number; target: Name }
  | { kind: 'txt'; texts: string[] }
  | { kind: 'soa'; mname: Name; rname: Name; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { kind: 'raw'; bytes: Uint8Array };

const NAME_TYPES = new Set<number>([RRType.CNAME, RRType.PTR, RRType.NS]);

/** Reads RDLENGTH octets at the reader's position; a typed form must use them exactly. */
export function decodeRData(r: Reader, type: number, rdlength: number): RData {
  const start = r.offset;
  const raw = r.bytes(rdlength);
  const end = start + rdlength;
  const exact = <T>(value: T, used: number): T => {
    if (used !== end) throw new WireError(`rdata of type ${type} has ${end - used} stray octets`);
    return value;
  };
  switch (type) {
    case RRType.A:
      if (rdlength !== 4) throw new WireError('A rdata must be 4 octets');
      return { kind: 'a', address: Array.from(raw).join('.') };
    case RRType.AAAA:
      if (rdlength !== 16) throw new WireError('AAAA rdata must be 16 octets');
      return { kind: 'aaaa', address: ipv6FromBytes(raw) };
    case RRType.SRV: {
      if (rdlength < 7) throw new WireError('SRV rdata too short');
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const t = nameWithin(r.buf, start + 6, end);
      return exact({ kind: 'srv', priority: view.getUint16(0), weight: view.getUint16(2), port: view.getUint16(4), target: t.labels }, t.next);
    }
    case RRType.TXT:
      return { kind: 'txt', texts: decodeTexts(raw) };
    case RRType.SOA: {
      const m = nameWithin(r.buf, start, end);
      const rn = nameWithin(r.buf, m.next, end);
      if (rn.next + 20 !== end) throw new WireError('SOA rdata has the wrong length');
      const v = new DataView(r.buf.buffer, r.buf.byteOffset + rn.next, 20);
      return { kind: 'soa', mname: m.labels, rname: rn.labels, serial: v.getUint32(0), refresh: v.getUint32(4), retry: v.getUint32(8), expire: v.getUint32(12), minimum: v.getUint32(16) };
    }
    default:
      if (NAME_TYPES.has(type)) {
        const t = nameWithin(r.buf, start, end);
        return exact({ kind: 'name', target: t.labels }, t.next);
      }
      return { kind: 'raw', bytes: Uint8Array.from(raw) };
  }
}

/** A name inside rdata may point anywhere earlier, but its inline part must end within the rdata. */
function nameWithin(buf: Uint8Array, at: number, end: number): { labels: string[]; next: number } {
  if (at >= end) throw new WireError('rdata too short for a name');
  const res = readNameAt(buf.subarray(0, end), at);
  return res;
}

function decodeTexts(raw: Uint8Array): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const len = raw[i]!;
    if (i + 1 + len > raw.length) throw new WireError('TXT string runs past its rdata');
    out.push(Buffer.from(raw.subarray(i + 1, i + 1 + len)).toString('latin1'));
    i += 1 + len;
  }
  if (out.length === 0) throw new WireError('TXT rdata is empty');
  return out;
}

export function encodeRData(w: Writer, data: RData): void {
  switch (data.kind) {
    case 'a':
      w.bytes(ipv4Bytes(data.address));
      return;
    case 'aaaa':
      w.bytes(ipv6Bytes(data.address));
      return;
    case 'name':
      w.name(data.target);
      return;
    case 'srv':
      w.u16(data.priority);
      w.u16(data.weight);
      w.u16(data.port);
      // RFC 2782: the target is not compressed.
      w.name(data.target, false);
      return;
    case 'txt':
      for (const t of data.texts) {
        const b = Buffer.from(t, 'latin1');
        if (b.length > 255) throw new WireError('TXT string longer than 255 octets');
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    case 'soa':
      w.name(data.mname);
      w.name(data.rname);
      for (const v of [data.serial, data.refresh, data.retry, data.expire, data.minimum]) w.u32(v);
      return;
    case 'raw':
      w.bytes(data.bytes);
  }
}

export function ipv4Bytes(address: string): Uint8Array {
  if (!isIPv4(address)) throw new WireError(`not an IPv4 address: ${address}`);
  return Uint8Array.from(address.split('.').map(Number));
}

export function ipv6Bytes(address: string): Uint8Array {
  if (!isIPv6(address)) throw new WireError(`not an IPv6 address: ${address}`);
  let text = address;
  const out = new Uint8Array(16);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const b = ipv4Bytes(quad[1]!);
    text = text.slice(0, -quad[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** RFC 5952 canonical text: lower case, longest zero run (of two or more) as `::`. */
export function ipv6FromBytes(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
