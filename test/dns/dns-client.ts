// A tiny DNS client for tests and the bench: one query over UDP or TCP to our server on
// loopback, using the server's own codec (which the codec tests check separately).

import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { RRClass } from '../../src/dns/wire/constants.js';
import { readEdns } from '../../src/dns/wire/edns.js';
import { decodeMessage, emptyHeader, encodeMessage, type Message, type ResourceRecord } from '../../src/dns/wire/message.js';
import { nameFromString, nameToString } from '../../src/dns/wire/name.js';

export interface QueryOptions {
  tcp?: boolean;
  opcode?: number;
  /** Adds an OPT record advertising this UDP payload size. */
  ednsSize?: number;
  ednsVersion?: number;
  timeoutMs?: number;
}

let nextId = 1;

export function buildQuery(name: string, type: number, opts: QueryOptions = {}): Uint8Array {
  const id = nextId = (nextId + 1) & 0xffff;
  const additional: ResourceRecord[] = opts.ednsSize
    ? [{ name: [], type: 41, class: opts.ednsSize, ttl: ((opts.ednsVersion ?? 0) << 16) >>> 0, data: { kind: 'raw', bytes: new Uint8Array() } }]
    : [];
  return encodeMessage({
    header: { ...emptyHeader(id), rd: true, opcode: opts.opcode ?? 0 },
    questions: [{ name: nameFromString(name), type, class: RRClass.IN }],
    answers: [],
    authority: [],
    additional,
  });
}

/** Sends raw bytes; resolves to the raw answer, or undefined when none came within the timeout. */
export function sendRaw(port: number, bytes: Uint8Array, opts: { tcp?: boolean; timeoutMs?: number; host?: string } = {}): Promise<Uint8Array | undefined> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 2000;
  if (!opts.tcp) {
    return new Promise((resolve) => {
      const sock = createSocket('udp4');
      const done = (v: Uint8Array | undefined) => {
        clearTimeout(timer);
        sock.close();
        resolve(v);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      sock.on('message', (msg) => done(new Uint8Array(msg)));
      sock.send(bytes, port, host);
    });
  }
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(undefined);
    }, timeoutMs);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(bytes.length);
      sock.write(Buffer.concat([len, bytes]));
    });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(new Uint8Array(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    });
  });
}

export async function query(port: number, name: string, type: number, opts: QueryOptions = {}): Promise<Message> {
  const q = buildQuery(name, type, opts);
  const raw = await sendRaw(port, q, opts);
  if (!raw) throw new Error(`no answer for ${name} type ${type}`);
  const m = decodeMessage(raw);
  if (m.header.id !== ((q[0]! << 8) | q[1]!)) throw new Error('answer ID does not match');
  return m;
}

/** Answer records as short strings: `A 10.0.0.1`, `SRV 0 33 80 web-0.nginx.default.svc.cluster.local.` … */
export function rdataText(rr: ResourceRecord): string {
  const d = rr.data;
  switch (d.kind) {
    case 'a':
    case 'aaaa':
      return d.address;
    case 'name':
      return nameToString(d.target);
    case 'srv':
      return `${d.priority} ${d.weight} ${d.port} ${nameToString(d.target)}`;
    case 'txt':
      return d.texts.map((t) => JSON.stringify(t)).join(' ');
    case 'soa':
      return `${nameToString(d.mname)} ${nameToString(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'raw':
      return Buffer.from(d.bytes).toString('hex');
  }
}

export function answerTexts(m: Message, type?: number): string[] {
  return m.answers.filter((rr) => type === undefined || rr.type === type).map(rdataText).sort();
}

export function ednsOf(m: Message) {
  return readEdns(m.additional);
}
