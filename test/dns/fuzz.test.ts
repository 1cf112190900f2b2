// Random and mutated packets, over the network and straight into the responder: the server
// logs no error, every answer it sends is a well-formed response, and it keeps serving.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { DnsIndex } from '../../src/dns/dns-index.js';
import { respond, type ResponderOptions } from '../../src/dns/responder.js';
import { serviceEntry } from '../../src/dns/service-entry.js';
import { RRType } from '../../src/dns/wire/constants.js';
import { decodeMessage } from '../../src/dns/wire/message.js';
import { answerTexts, buildQuery, query } from './dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from './harness.js';

const Z = 'default.svc.cluster.local';
const NAMES = [`web.${Z}`, `web-0.web.${Z}`, `_web._tcp.web.${Z}`, 'dns-version.cluster.local', '1.0.244.10.in-addr.arpa', 'example.com', 'cluster.local'];
const TYPES = [RRType.A, RRType.AAAA, RRType.SRV, RRType.TXT, RRType.PTR, RRType.SOA, RRType.NS, RRType.MX, RRType.ANY, RRType.AXFR, RRType.OPT];

/** xorshift32: the same packets on every run, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return { int: (n: number) => next() % n, next };
}

function randomPacket(r: ReturnType<typeof rng>): Uint8Array {
  const kind = r.int(10);
  if (kind < 3) return Uint8Array.from({ length: r.int(600) }, () => r.int(256));
  const base = buildQuery(NAMES[r.int(NAMES.length)]!, TYPES[r.int(TYPES.length)]!, r.int(2) ? { ednsSize: 512 + r.int(4000) } : {});
  let p = Array.from(base);
  const edits = 1 + r.int(4);
  for (let e = 0; e < edits; e++) {
    switch (r.int(6)) {
      case 0: // flip bits anywhere
        p[r.int(p.length)] ^= 1 << r.int(8);
        break;
      case 1: // cut short
        p = p.slice(0, r.int(p.length + 1));
        break;
      case 2: // junk appended or inserted
        p.splice(r.int(p.length + 1), 0, ...Array.from({ length: 1 + r.int(20) }, () => r.int(256)));
        break;
      case 3: // a random section count
        if (p.length >= 12) p[4 + r.int(8)] = r.int(256);
        break;
      case 4: // opcode and flags
        if (p.length >= 4) p[2] = r.int(256) & 0x7f;
        break;
      case 5: // a compression pointer somewhere
        if (p.length > 14) {
          const at = 12 + r.int(p.length - 13);
          p[at] = 0xc0 | r.int(64);
          p[at + 1] = r.int(256);
        }
    }
  }
  return Uint8Array.from(p.filter((x) => x !== undefined));
}

function assertWellFormedResponse(raw: Uint8Array, what: string): void {
  const m = decodeMessage(raw);
  assert.equal(m.header.qr, true, what);
}

describe('dns fuzz', () => {
  let h: DnsHarness;
  const errors: string[] = [];

  before(async () => {
    h = await startDnsHarness({ log: (m) => errors.push(m) });
    await h.client.create(SERVICES, 'default', service('web', { headless: true }));
    await h.client.create(SLICES, 'default', slice('web', [{ ip: '10.244.0.1', hostname: 'web-0' }, { ip: '10.244.0.2', hostname: 'web-1' }]));
    await waitForAnswer(h.port, `web.${Z}`, RRType.A, ['10.244.0.1', '10.244.0.2']);
  });
  after(() => h.close());

  it('survives 10,000 random and mutated UDP packets and still answers', async () => {
    const r = rng(0x5eed);
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
    const replies: Uint8Array[] = [];
    let sentinelWaiter: ((id: number) => void) | undefined;
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === 0xffff) sentinelWaiter?.(0xffff);
      else replies.push(new Uint8Array(msg));
    });
    const sentinel = buildQuery(`web-0.web.${Z}`, RRType.A);
    sentinel[0] = 0xff;
    sentinel[1] = 0xff;
    const TOTAL = 10_000;
    const BATCH = 100;
    try {
      for (let sent = 0; sent < TOTAL; sent += BATCH) {
        for (let i = 0; i < BATCH; i++) {
          const p = randomPacket(r);
          // Our sentinel's ID stays ours.
          if (p.length >= 2 && p[0] === 0xff && p[1] === 0xff) p[0] = 0;
          sock.send(p, h.port, '127.0.0.1');
        }
        // Flow control: the batch is through once the sentinel behind it is answered.
        await new Promise<void>((resolve, reject) => {
          let tries = 0;
          const timer = setInterval(() => (++tries > 20 ? reject(new Error('server stopped answering')) : sock.send(sentinel, h.port, '127.0.0.1')), 250);
          sentinelWaiter = () => {
            clearInterval(timer);
            sentinelWaiter = undefined;
            resolve();
          };
          sock.send(sentinel, h.port, '127.0.0.1');
        });
      }
    } finally {
      sock.close();
    }
    assert.ok(replies.length > TOTAL / 2, `only ${replies.length} replies to ${TOTAL} packets`);
    for (const [i, raw] of replies.entries()) assertWellFormedResponse(raw, `reply ${i}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(answerTexts(await query(h.port, `web-1.web.${Z}`, RRType.A)), ['10.244.0.2']);
  });

  it('survives junk TCP streams, including lying length prefixes, and still answers over TCP', async () => {
    const r = rng(0xfeed);
    const streams = Array.from({ length: 200 }, (_, i) => {
      const frames: number[] = [];
      for (let f = 0; f < 1 + r.int(4); f++) {
        const p = randomPacket(r);
        const len = i % 10 === 0 ? r.int(65536) : p.length;
        frames.push(len >> 8, len & 0xff, ...p);
      }
      return Buffer.from(frames);
    });
    for (let i = 0; i < streams.length; i += 20) {
      await Promise.all(
        streams.slice(i, i + 20).map(
          (bytes) =>
            new Promise<void>((resolve) => {
              const s = connect({ host: '127.0.0.1', port: h.port }, () => s.end(bytes));
              let buf = Buffer.alloc(0);
              s.on('data', (c) => (buf = Buffer.concat([buf, c])));
              s.on('error', () => resolve());
              s.on('close', () => {
                // Whatever came back is a sequence of well-formed framed responses.
                for (let o = 0; o + 2 <= buf.length; ) {
                  const len = buf.readUInt16BE(o);
                  if (o + 2 + len > buf.length) break;
                  assertWellFormedResponse(buf.subarray(o + 2, o + 2 + len), 'tcp reply');
                  o += 2 + len;
                }
                resolve();
              });
            }),
        ),
      );
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(answerTexts(await query(h.port, `web-0.web.${Z}`, RRType.A, { tcp: true })), ['10.244.0.1']);
  });

  it('answers 50,000 more packets in-process with a response or silence, never an exception', async () => {
    const index = new DnsIndex('cluster.local');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: 'None' } };
    index.set('default/web', serviceEntry(svc, [{ ...slice('web', [{ ip: '10.244.0.1', hostname: 'web-0' }]), metadata: { name: 'web-x', namespace: 'default' } }]));
    const opts: ResponderOptions = {
      resolver: { index, zone: 'cluster.local', ttl: 5, namespaceExists: (ns) => ns === 'default', reverseCidrs: undefined },
      ready: () => true,
    };
    const r = rng(0xc0ffee);
    let answered = 0;
    for (let i = 0; i < 50_000; i++) {
      const p = randomPacket(r);
      const out = await respond(p, i % 2 ? 'udp' : 'tcp', opts);
      if (!out) continue;
      answered++;
      assertWellFormedResponse(out, `packet ${i}`);
      if (i % 2 === 1) assert.ok(out.length <= 4096, 'UDP answers stay within the largest EDNS size we honour');
    }
    assert.ok(answered > 25_000, `${answered} answered`);
  });
});
