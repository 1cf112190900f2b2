// One query message in, one response message out (or nothing, for messages that are not
// queries). Everything about the DNS protocol lives here; listeners only move bytes.

import { readEdns, responseOpt, udpLimit, type EdnsInfo } from './wire/edns.js';
import { HEADER_OCTETS, Opcode, Rcode, RRType } from './wire/constants.js';
import { decodeHeader, decodeMessage, encodeMessage, emptyHeader, type Header, type Message, type Question, type ResourceRecord } from './wire/message.js';
import { Reader } from './wire/reader.js';
import { WireError } from './wire/wire-error.js';
import { resolveQuestion, type ResolverContext, type Resolution } from './resolver.js';

export type Transport = 'udp' | 'tcp';

export interface Forwarder {
  forward(query: Uint8Array, transport: Transport): Promise<Uint8Array | undefined>;
}

export interface ResponderOptions {
  resolver: ResolverContext;
  /** False until the informers have listed: answering from an empty cache would lie. */
  ready(): boolean;
  forwarder?: Forwarder;
}

const IXFR = 251;
const TCP_MAX = 65535;

function replyHeader(q: Header, rcode: number, aa: boolean, ra: boolean): Header {
  return { ...emptyHeader(q.id), qr: true, opcode: q.opcode, rd: q.rd, cd: q.cd, aa, ra, rcode: rcode & 0xf };
}

function bare(q: Header, rcode: number, ra: boolean, questions: Question[] = []): Uint8Array {
  return encodeMessage({ header: replyHeader(q, rcode, false, ra), questions, answers: [], authority: [], additional: [] });
}

/** A header too short to decode still has an ID worth echoing, if it is not itself a response. */
function shortPacket(query: Uint8Array, ra: boolean): Uint8Array | undefined {
  if (query.length < 3 || (query[2]! & 0x80) !== 0) return undefined;
  const h = emptyHeader((query[0]! << 8) | query[1]!);
  h.opcode = (query[2]! >> 3) & 0xf;
  h.rd = (query[2]! & 1) !== 0;
  return bare(h, Rcode.FORMERR, ra);
}

/** The question alone, for echoing in NOTIMP answers when it can be read. */
function tryQuestion(query: Uint8Array): Question[] {
  try {
    const m = decodeMessage(query);
    return m.questions.length === 1 ? m.questions : [];
  } catch {
    return [];
  }
}

export async function respond(query: Uint8Array, transport: Transport, opts: ResponderOptions): Promise<Uint8Array | undefined> {
  // RA is always set, as CoreDNS does: nslookup otherwise prints "Got recursion not
  // available" and moves on to the next server, and pods have only this one.
  const ra = true;
  if (query.length < HEADER_OCTETS) return shortPacket(query, ra);
  const { header } = decodeHeader(new Reader(query));
  if (header.qr) return undefined;
  if (header.opcode !== Opcode.QUERY) return bare(header, Rcode.NOTIMP, ra, tryQuestion(query));

  let msg: Message;
  let edns: EdnsInfo | undefined;
  try {
    msg = decodeMessage(query);
    edns = readEdns(msg.additional);
  } catch (err) {
    if (err instanceof WireError) return bare(header, Rcode.FORMERR, ra);
    throw err;
  }
  if (msg.questions.length !== 1) return bare(header, Rcode.FORMERR, ra);
  const q = msg.questions[0]!;
  const opt = (rcode: number): ResourceRecord[] => (edns ? [responseOpt(rcode, edns.dnssecOk)] : []);
  const reply = (rcode: number, aa: boolean, r?: Resolution): Message => ({
    header: replyHeader(header, rcode, aa, ra),
    questions: [q],
    answers: r?.answers ?? [],
    authority: r?.authority ?? [],
    additional: [...(r?.additional ?? []), ...opt(rcode)],
  });

  if (edns && edns.version !== 0) return encodeMessage(reply(Rcode.BADVERS, false));
  if (q.type === RRType.OPT) return encodeMessage(reply(Rcode.FORMERR, false));
  if (q.type === RRType.AXFR || q.type === IXFR) return encodeMessage(reply(Rcode.REFUSED, false));

  let resolution: Resolution;
  try {
    resolution = resolveQuestion(q, opts.resolver);
  } catch (err) {
    // A record we cannot encode (a name over 255 octets under a long cluster domain, say).
    if (err instanceof WireError) return encodeMessage(reply(Rcode.SERVFAIL, false));
    throw err;
  }
  if (opts.forwarder && (resolution.outside || resolution.forwardable)) {
    const forwarded = await opts.forwarder.forward(query, transport);
    return forwarded ?? encodeMessage(reply(Rcode.SERVFAIL, false));
  }
  if (resolution.outside) return encodeMessage(reply(Rcode.REFUSED, false));
  if (!opts.ready()) return encodeMessage(reply(Rcode.SERVFAIL, false));
  return fit(reply(resolution.rcode, true, rotateAddresses(resolution)), transport === 'udp' ? udpLimit(edns) : TCP_MAX);
}

let rotation = 0;

/**
 * Round robin over an address answer (CoreDNS's default Corefile has `loadbalance`): most
 * clients take the first address, so a headless Service would otherwise send them all to
 * the same pod.
 */
function rotateAddresses(r: Resolution): Resolution {
  const a = r.answers;
  if (a.length < 2 || !a.every((rr) => rr.type === a[0]!.type && (rr.type === RRType.A || rr.type === RRType.AAAA))) return r;
  const k = rotation++ % a.length;
  rotation %= 1 << 30;
  return { ...r, answers: [...a.slice(k), ...a.slice(0, k)] };
}

/**
 * Over the limit, first the glue goes (no TC needed for that), then everything but the
 * question and OPT, with TC set so the client asks again over TCP.
 */
function fit(m: Message, limit: number): Uint8Array {
  const full = tryEncode(m);
  if (full && full.length <= limit) return full;
  const opt = m.additional.filter((rr) => rr.type === RRType.OPT);
  const noGlue = tryEncode({ ...m, additional: opt });
  if (noGlue && noGlue.length <= limit) return noGlue;
  return encodeMessage({ ...m, header: { ...m.header, tc: true }, answers: [], authority: [], additional: opt });
}

function tryEncode(m: Message): Uint8Array | undefined {
  try {
    return encodeMessage(m);
  } catch (err) {
    if (err instanceof WireError) return undefined;
    throw err;
  }
}
