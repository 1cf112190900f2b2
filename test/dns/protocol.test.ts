// The protocol edges: transports, EDNS0, truncation and the error answers for bad input.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Opcode, Rcode, RRType } from '../../src/dns/wire/constants.js';
import { connect } from 'node:net';
import { decodeMessage } from '../../src/dns/wire/message.js';
import { answerTexts, buildQuery, ednsOf, query, sendRaw } from './dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from './harness.js';

const Z = 'default.svc.cluster.local';
const BIG = Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.7.${i + 1}`, hostname: `big-${i}` }));

describe('dns protocol', () => {
  let h: DnsHarness;

  before(async () => {
    h = await startDnsHarness();
    await h.client.create(SERVICES, 'default', service('big', { headless: true }));
    await h.client.create(SLICES, 'default', slice('big', BIG));
    await waitForAnswer(h.port, `big-0.big.${Z}`, RRType.A, ['10.244.7.1']);
  });
  after(() => h.close());

  it('answers over TCP with the length prefix', async () => {
    const m = await query(h.port, `big.${Z}`, RRType.A, { tcp: true });
    assert.equal(m.header.tc, false);
    assert.equal(m.answers.length, BIG.length);
  });

  it('answers several pipelined queries on one TCP connection, split across segments', async () => {
    const queries = [0, 1, 2].map((i) => buildQuery(`big-${i}.big.${Z}`, RRType.A));
    const stream = Buffer.concat(queries.map((q) => Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q])));
    const answers = await new Promise<Map<number, string[]>>((resolve, reject) => {
      const got = new Map<number, string[]>();
      let buf = Buffer.alloc(0);
      const sock = connect({ host: '127.0.0.1', port: h.port }, () => {
        // One write ending mid-frame, the rest in a second write.
        sock.write(stream.subarray(0, 40));
        setImmediate(() => sock.write(stream.subarray(40)));
      });
      sock.on('error', reject);
      sock.on('data', (c) => {
        buf = Buffer.concat([buf, c]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const m = decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          got.set(m.header.id, answerTexts(m));
        }
        if (got.size === 3) {
          sock.destroy();
          resolve(got);
        }
      });
    });
    queries.forEach((q, i) => assert.deepEqual(answers.get((q[0]! << 8) | q[1]!), [`10.244.7.${i + 1}`]));
  });

  it('sets TC on a UDP answer over 512 octets, and fits up to the EDNS0 size', async () => {
    const plain = await query(h.port, `big.${Z}`, RRType.A);
    assert.equal(plain.header.tc, true);
    assert.equal(plain.answers.length, 0);
    assert.equal(plain.questions.length, 1);
    const raw = await sendRaw(h.port, buildQuery(`big.${Z}`, RRType.A));
    assert.ok(raw && raw.length <= 512);

    const edns = await query(h.port, `big.${Z}`, RRType.A, { ednsSize: 4096 });
    assert.equal(edns.header.tc, false);
    assert.equal(edns.answers.length, BIG.length);
    assert.equal(ednsOf(edns)?.udpSize, 1232, 'the server advertises its own size');
  });

  it('drops SRV glue before truncating, and truncates when the records alone are too big', async () => {
    const m = await query(h.port, `_web._tcp.big.${Z}`, RRType.SRV, { ednsSize: 1232 });
    // 60 SRV records with uncompressed targets exceed 1232 octets even without glue.
    assert.equal(m.header.tc, true);
    const tcp = await query(h.port, `_web._tcp.big.${Z}`, RRType.SRV, { tcp: true });
    assert.equal(tcp.answers.length, BIG.length);
    assert.equal(tcp.additional.length, BIG.length);
  });

  it('answers BADVERS to an EDNS version it does not speak', async () => {
    const m = await query(h.port, `big-0.big.${Z}`, RRType.A, { ednsSize: 1232, ednsVersion: 1 });
    assert.equal(m.header.rcode, 0);
    const opt = m.additional.find((rr) => rr.type === RRType.OPT);
    assert.equal(opt && opt.ttl >>> 24, 1, 'extended rcode 16 = BADVERS');
  });

  it('answers NOTIMP to opcodes other than QUERY', async () => {
    for (const opcode of [Opcode.STATUS, Opcode.IQUERY, Opcode.NOTIFY, Opcode.UPDATE, 9]) {
      const m = await query(h.port, `big.${Z}`, RRType.A, { opcode });
      assert.equal(m.header.rcode, Rcode.NOTIMP, `opcode ${opcode}`);
      assert.equal(m.header.opcode, opcode);
      assert.equal(m.header.qr, true);
    }
  });

  it('answers FORMERR to truncated and garbage packets, over UDP and TCP', async () => {
    const good = buildQuery(`big.${Z}`, RRType.A);
    const bad: Uint8Array[] = [
      good.subarray(0, good.length - 3), // question cut short
      good.subarray(0, 12), // header promising a question that is not there
      Uint8Array.from([...good.subarray(0, 12), 0xc0, 0x0c, 0, 1, 0, 1]), // pointer to itself
      Uint8Array.from([...good.subarray(0, 12), 0x40, 0x61, 0, 0, 1, 0, 1]), // label type 01
      Uint8Array.from([...good, 0xde, 0xad]), // trailing octets
      Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0, ...good.subarray(12), ...good.subarray(12)]), // two questions
      Uint8Array.from([0x12, 0x34, 0x01]), // not even a header
    ];
    for (const [i, packet] of bad.entries()) {
      for (const tcp of [false, true]) {
        const raw = await sendRaw(h.port, packet, { tcp });
        assert.ok(raw, `packet ${i} (${tcp ? 'tcp' : 'udp'}) got no answer`);
        const m = decodeMessage(raw);
        assert.equal(m.header.rcode, Rcode.FORMERR, `packet ${i}`);
        assert.equal(m.header.id, (packet[0]! << 8) | packet[1]!);
        assert.equal(m.header.qr, true);
      }
    }
  });

  it('never answers a packet that is itself a response (no reflection loops)', async () => {
    const q = buildQuery(`big.${Z}`, RRType.A);
    q[2] = q[2]! | 0x80;
    assert.equal(await sendRaw(h.port, q, { timeoutMs: 300 }), undefined);
    // …and still serves afterwards.
    assert.deepEqual(answerTexts(await query(h.port, `big-1.big.${Z}`, RRType.A)), ['10.244.7.2']);
  });

  it('refuses zone transfers', async () => {
    assert.equal((await query(h.port, 'cluster.local', RRType.AXFR, { tcp: true })).header.rcode, Rcode.REFUSED);
  });

  it('answers SOA and NS at the apex', async () => {
    const soa = await query(h.port, 'cluster.local', RRType.SOA);
    assert.equal(soa.answers[0]?.type, RRType.SOA);
    const ns = await query(h.port, 'cluster.local', RRType.NS);
    assert.deepEqual(answerTexts(ns), ['ns.dns.cluster.local.']);
  });
});
