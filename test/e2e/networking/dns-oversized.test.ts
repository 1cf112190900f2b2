// Must-hold 4's "oversized queries", explicitly (test/dns/ covers malformed packets, opcodes
// and the 10,000-packet fuzz): a query name over 255 octets, a 4 KB UDP datagram and a
// 64 KB TCP message each get FORMERR, and the server keeps answering.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rcode, RRType } from '../../../src/dns/wire/constants.js';
import { decodeMessage } from '../../../src/dns/wire/message.js';
import { answerTexts, buildQuery, query, sendRaw } from '../../dns/dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from '../../dns/harness.js';

const Z = 'default.svc.cluster.local';

/** A query whose question name is `labels` wire-encoded as given (no length checks). */
function rawQuery(id: number, labels: string[], type: number): Uint8Array {
  const out = [id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const l of labels) out.push(l.length, ...Buffer.from(l, 'ascii'));
  out.push(0, type >> 8, type & 0xff, 0, 1);
  return Uint8Array.from(out);
}

describe('dns oversized queries', () => {
  let h: DnsHarness;
  before(async () => {
    h = await startDnsHarness();
    await h.client.create(SERVICES, 'default', service('web', { headless: true }));
    await h.client.create(SLICES, 'default', slice('web', [{ ip: '10.244.0.1', hostname: 'web-0' }]));
    await waitForAnswer(h.port, `web-0.web.${Z}`, RRType.A, ['10.244.0.1']);
  });
  after(() => h.close());

  const expectFormErr = async (packet: Uint8Array, tcp: boolean, what: string) => {
    const raw = await sendRaw(h.port, packet, { tcp });
    assert.ok(raw, `${what}: no answer`);
    const m = decodeMessage(raw);
    assert.equal(m.header.rcode, Rcode.FORMERR, what);
    assert.equal(m.header.id, (packet[0]! << 8) | packet[1]!, what);
  };

  it('answers FORMERR to a name longer than 255 octets and to a label longer than 63', async () => {
    const long = [...Array.from({ length: 5 }, () => 'a'.repeat(60)), 'web', 'default', 'svc', 'cluster', 'local'];
    for (const tcp of [false, true]) {
      await expectFormErr(rawQuery(0x1201, long, RRType.A), tcp, `long name over ${tcp ? 'tcp' : 'udp'}`);
      await expectFormErr(rawQuery(0x1202, ['b'.repeat(63) + 'c', 'default', 'svc', 'cluster', 'local'], RRType.A), tcp, 'long label');
    }
  });

  it('answers FORMERR to a 4 KB UDP datagram and a 64 KB TCP message, then still answers', async () => {
    const q = buildQuery(`web-0.web.${Z}`, RRType.A);
    const padded = (size: number) => {
      const p = new Uint8Array(size);
      p.set(q);
      return p;
    };
    await expectFormErr(padded(4096), false, '4 KB datagram');
    await expectFormErr(padded(65535), true, '64 KB TCP message');
    assert.deepEqual(answerTexts(await query(h.port, `web-0.web.${Z}`, RRType.A)), ['10.244.0.1']);
    assert.deepEqual(answerTexts(await query(h.port, `web-0.web.${Z}`, RRType.A, { tcp: true })), ['10.244.0.1']);
  });
});
