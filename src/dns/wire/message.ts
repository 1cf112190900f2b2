// A whole DNS message: header flags, the question and the three record sections.

import { HEADER_OCTETS } from './constants.js';
import { checkName, type Name } from './name.js';
import { Reader } from './reader.js';
import { decodeRData, encodeRData, type RData } from './rdata.js';
import { WireError } from './wire-error.js';
import { Writer } from './writer.js';

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved Z bit (must be zero; kept so a round trip is exact). */
  z: boolean;
  ad: boolean;
  cd: boolean;
  /** The low four bits; EDNS0 extends it through the OPT record. */
  rcode: number;
}

export interface Question {
  name: Name;
  type: number;
  class: number;
}

export interface ResourceRecord {
  name: Name;
  type: number;
  /** For OPT this is the requestor's UDP payload size. */
  class: number;
  /** For OPT this carries the extended rcode, version and flags. */
  ttl: number;
  data: RData;
}

export interface Message {
  header: Header;
  questions: Question[];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

export interface SectionCounts {
  qd: number;
  an: number;
  ns: number;
  ar: number;
}

export function decodeHeader(r: Reader): { header: Header; counts: SectionCounts } {
  if (r.remaining < HEADER_OCTETS) throw new WireError('message shorter than a header');
  const id = r.u16();
  const flags = r.u16();
  const header: Header = {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
  };
  return { header, counts: { qd: r.u16(), an: r.u16(), ns: r.u16(), ar: r.u16() } };
}

/** Strict: every section must be complete and nothing may follow the last record. */
export function decodeMessage(buf: Uint8Array): Message {
  const r = new Reader(buf);
  const { header, counts } = decodeHeader(r);
  // Each question needs at least 5 octets and each record 11: reject absurd counts up front.
  if (counts.qd * 5 + (counts.an + counts.ns + counts.ar) * 11 > r.remaining) throw new WireError('section counts exceed the message');
  const questions: Question[] = [];
  for (let i = 0; i < counts.qd; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number) => {
    const out: ResourceRecord[] = [];
    for (let i = 0; i < n; i++) out.push(decodeRecord(r));
    return out;
  };
  const answers = section(counts.an);
  const authority = section(counts.ns);
  const additional = section(counts.ar);
  if (r.remaining !== 0) throw new WireError(`${r.remaining} octets after the last record`);
  return { header, questions, answers, authority, additional };
}

function decodeRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlength = r.u16();
  return { name, type, class: cls, ttl, data: decodeRData(r, type, rdlength) };
}

export function encodeHeader(w: Writer, h: Header, counts: SectionCounts): void {
  w.u16(h.id);
  let flags = ((h.opcode & 0xf) << 11) | (h.rcode & 0xf);
  if (h.qr) flags |= 0x8000;
  if (h.aa) flags |= 0x0400;
  if (h.tc) flags |= 0x0200;
  if (h.rd) flags |= 0x0100;
  if (h.ra) flags |= 0x0080;
  if (h.z) flags |= 0x0040;
  if (h.ad) flags |= 0x0020;
  if (h.cd) flags |= 0x0010;
  w.u16(flags);
  w.u16(counts.qd);
  w.u16(counts.an);
  w.u16(counts.ns);
  w.u16(counts.ar);
}

export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer();
  encodeHeader(w, m.header, { qd: m.questions.length, an: m.answers.length, ns: m.authority.length, ar: m.additional.length });
  for (const q of m.questions) {
    checkName(q.name);
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of [...m.answers, ...m.authority, ...m.additional]) encodeRecord(w, rr);
  return w.finish();
}

function encodeRecord(w: Writer, rr: ResourceRecord): void {
  checkName(rr.name);
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lengthAt = w.offset;
  w.u16(0);
  encodeRData(w, rr.data);
  const len = w.offset - lengthAt - 2;
  w.patch16(lengthAt, len);
}

export function emptyHeader(id = 0): Header {
  return { id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false, rcode: 0 };
}
