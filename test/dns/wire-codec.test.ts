// The wire codec on its own: exact round trips, compression, and strict decoding.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RRType } from '../../src/dns/wire/constants.js';
import { decodeMessage, emptyHeader, encodeMessage, type Message, type ResourceRecord } from '../../src/dns/wire/message.js';
import { nameFromString, nameToString } from '../../src/dns/wire/name.js';
import { ipv6Bytes, ipv6FromBytes } from '../../src/dns/wire/rdata.js';
import { WireError } from '../../src/dns/wire/wire-error.js';

const n = nameFromString;

function rr(name: string, type: number, data: ResourceRecord['data'], ttl = 5): ResourceRecord {
  return { name: n(name), type, class: 1, ttl, data };
}

const sample: Message = {
  header: { ...emptyHeader(0xbeef), qr: true, aa: true, rd: true, ra: true, opcode: 0, rcode: 3, cd: true },
  questions: [{ name: n('Web-0.Nginx.default.svc.cluster.local'), type: RRType.A, class: 1 }],
  answers: [
    rr('web-0.nginx.default.svc.cluster.local', RRType.A, { kind: 'a', address: '10.244.0.7' }),
    rr('web-0.nginx.default.svc.cluster.local', RRType.AAAA, { kind: 'aaaa', address: 'fd00::7' }),
    rr('alias.default.svc.cluster.local', RRType.CNAME, { kind: 'name', target: n('web-0.nginx.default.svc.cluster.local') }),
    rr('7.0.244.10.in-addr.arpa', RRType.PTR, { kind: 'name', target: n('web-0.nginx.default.svc.cluster.local') }),
    rr('_web._tcp.nginx.default.svc.cluster.local', RRType.SRV, { kind: 'srv', priority: 0, weight: 33, port: 8080, target: n('web-0.nginx.default.svc.cluster.local') }),
    rr('dns-version.cluster.local', RRType.TXT, { kind: 'txt', texts: ['1.1.0', ''] }),
    rr('cluster.local', RRType.MX, { kind: 'raw', bytes: Uint8Array.from([0, 10, 0]) }),
  ],
  authority: [
    rr('cluster.local', RRType.SOA, { kind: 'soa', mname: n('ns.dns.cluster.local'), rname: n('hostmaster.cluster.local'), serial: 0xfffffffe, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 }),
  ],
  additional: [{ name: [], type: RRType.OPT, class: 1232, ttl: 0x8000, data: { kind: 'raw', bytes: Uint8Array.from([0, 10, 0, 2, 0xab, 0xcd]) } }],
};

describe('dns wire codec', () => {
  it('round-trips every record kind exactly', () => {
    const bytes = encodeMessage(sample);
    assert.deepEqual(decodeMessage(bytes), sample);
    assert.deepEqual(encodeMessage(decodeMessage(bytes)), bytes);
  });

  it('compresses repeated names into pointers, octet for octet', () => {
    const m: Message = {
      header: emptyHeader(7),
      questions: [{ name: n('Web.example'), type: RRType.A, class: 1 }],
      answers: [
        rr('Web.example', RRType.CNAME, { kind: 'name', target: n('b.Web.example') }),
        rr('b.web.example', RRType.A, { kind: 'a', address: '10.0.0.1' }),
      ],
      authority: [],
      additional: [],
    };
    const bytes = encodeMessage(m);
    const q = 12;
    const firstAnswer = q + 'Web.example.'.length + 1 + 4;
    assert.deepEqual([...bytes.subarray(firstAnswer, firstAnswer + 2)], [0xc0, q], 'the owner points at the question');
    const target = firstAnswer + 2 + 10;
    assert.deepEqual([...bytes.subarray(target, target + 4)], [1, 0x62, 0xc0, q], 'the target is one label and a pointer');
    // A different case is a different suffix until `example`.
    const second = target + 4;
    assert.deepEqual([...bytes.subarray(second, second + 8)], [1, 0x62, 3, 0x77, 0x65, 0x62, 0xc0, q + 4]);
    assert.deepEqual(decodeMessage(bytes), m);
  });

  it('keeps label octets exact, including dots and binary inside a label', () => {
    const m: Message = { header: emptyHeader(1), questions: [{ name: ['a.b', '\x00\xff'], type: 1, class: 1 }], answers: [], authority: [], additional: [] };
    const back = decodeMessage(encodeMessage(m));
    assert.deepEqual(back.questions[0]!.name, ['a.b', '\x00\xff']);
    assert.equal(nameToString(back.questions[0]!.name), 'a\\.b.\\000\\255.');
  });

  it('formats and parses IPv6 addresses canonically', () => {
    for (const [text, canonical] of [['fd00::7', 'fd00::7'], ['::', '::'], ['::1', '::1'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['::ffff:10.0.0.1', '::ffff:a00:1'], ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8']]) {
      assert.equal(ipv6FromBytes(ipv6Bytes(text!)), canonical);
    }
  });

  const header = [0x12, 0x34, 0x01, 0x00];
  const q = (counts: number[], body: number[]) => Uint8Array.from([...header, ...counts.flatMap((c) => [c >> 8, c & 0xff]), ...body]);
  const cases: [string, Uint8Array][] = [
    ['short header', Uint8Array.from([1, 2, 3])],
    ['missing question', q([1, 0, 0, 0], [])],
    ['pointer to itself', q([1, 0, 0, 0], [0xc0, 12, 0, 1, 0, 1])],
    ['pointer forwards', q([1, 0, 0, 0], [0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 0])],
    ['label type 10', q([1, 0, 0, 0], [0x80, 0, 0, 1, 0, 1])],
    ['label past end', q([1, 0, 0, 0], [5, 0x61, 0x62])],
    ['name over 255 octets', q([1, 0, 0, 0], [...Array.from({ length: 5 }, () => [63, ...Array(63).fill(0x61)]).flat(), 0, 0, 1, 0, 1])],
    ['A rdata of 5 octets', q([1, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 5, 1, 2, 3, 4, 5])],
    ['rdlength past end', q([1, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 9, 1, 2, 3, 4])],
    ['CNAME with stray octets', q([1, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0, 5, 0, 1, 0, 0, 0, 5, 0, 3, 1, 0x61, 0, 0])],
    ['TXT string past rdata', q([1, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0, 16, 0, 1, 0, 0, 0, 5, 0, 2, 5, 0x61])],
    ['counts beyond the message', q([0xffff, 0xffff, 0xffff, 0xffff], [])],
    ['trailing octets', q([1, 0, 0, 0], [0, 0, 1, 0, 1, 9])],
  ];
  for (const [what, bytes] of cases) {
    it(`rejects: ${what}`, () => {
      assert.throws(() => decodeMessage(bytes), WireError);
    });
  }

  it('decodes any input either to a message that re-encodes or to a WireError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (err) {
          if (!(err instanceof WireError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips arbitrary well-formed messages', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const name = fc.array(label, { maxLength: 6 });
    const record = fc.oneof(
      fc.record({ name, type: fc.constant(1), class: fc.constant(1), ttl: fc.nat(), data: fc.ipV4().map((address) => ({ kind: 'a' as const, address })) }),
      fc.record({ name, type: fc.constant(12), class: fc.constant(1), ttl: fc.nat(), data: name.map((target) => ({ kind: 'name' as const, target })) }),
      fc.record({ name, type: fc.constant(33), class: fc.constant(1), ttl: fc.nat(), data: fc.record({ kind: fc.constant('srv' as const), priority: fc.nat(65535), weight: fc.nat(65535), port: fc.nat(65535), target: name }) }),
      fc.record({ name, type: fc.constant(16), class: fc.constant(1), ttl: fc.nat(), data: fc.array(fc.string({ maxLength: 40 }).map((s) => Buffer.from(s).toString('latin1').slice(0, 255)), { minLength: 1, maxLength: 3 }).map((texts) => ({ kind: 'txt' as const, texts })) }),
    );
    fc.assert(
      fc.property(fc.nat(65535), name, fc.nat(65535), fc.array(record, { maxLength: 8 }), (id, qname, qtype, answers) => {
        // fast-check builds records without a prototype; the decoder builds plain objects.
        const plain = answers.map((a) => ({ ...a, data: { ...a.data } }) as ResourceRecord);
        const m: Message = { header: { ...emptyHeader(id), qr: true }, questions: [{ name: qname, type: qtype, class: 1 }], answers: plain, authority: [], additional: [] };
        const back = decodeMessage(encodeMessage(m));
        assert.deepEqual(back, m);
      }),
      { numRuns: 500 },
    );
  });
});
