// Server options: TTL, reverse zones limited to our CIDRs, several listen addresses, refusing
// wildcards, and SERVFAIL (not a false NXDOMAIN) before the informers have listed.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer } from '../../src/dns/index.js';
import { hostNameservers } from '../../src/dns/forwarder.js';
import { parseReverseName } from '../../src/dns/reverse-names.js';
import { Rcode, RRType } from '../../src/dns/wire/constants.js';
import { nameToString } from '../../src/dns/wire/name.js';
import { inMemoryCluster } from '../support/in-memory-cluster.js';
import { answerTexts, query } from './dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES } from './harness.js';

const Z = 'default.svc.cluster.local';
const rev = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

describe('dns options', () => {
  it('uses the configured TTL and answers PTR only inside the given CIDRs', async () => {
    const h = await startDnsHarness({ ttlSeconds: 30, reverseCidrs: ['10.96.0.0/16', '10.244.0.0/16', 'fd00:10:244::/64'] });
    try {
      await h.client.create(SERVICES, 'default', service('db', { headless: true }));
      await h.client.create(SLICES, 'default', slice('db', [{ ip: '10.244.8.1', hostname: 'db-0' }]));
      await h.client.create(SLICES, 'default', slice('db', [{ ip: 'fd00:10:244::8', hostname: 'db-0' }], { suffix: 'v6', addressType: 'IPv6' }));
      await waitForAnswer(h.port, `db.${Z}`, RRType.A, ['10.244.8.1']);
      const a = await query(h.port, `db-0.db.${Z}`, RRType.A);
      assert.equal(a.answers[0]?.ttl, 30);
      assert.deepEqual(answerTexts(await query(h.port, `db-0.db.${Z}`, RRType.AAAA)), ['fd00:10:244::8']);
      assert.deepEqual(answerTexts(await query(h.port, rev('10.244.8.1'), RRType.PTR)), [`db-0.db.${Z}.`]);
      // Dual stack: one SRV record for the hostname, glue of both families.
      const srv = await query(h.port, `_web._tcp.db.${Z}`, RRType.SRV);
      assert.deepEqual(answerTexts(srv), [`0 100 8080 db-0.db.${Z}.`]);
      assert.deepEqual(srv.additional.map((rr) => rr.type).sort(), [RRType.A, RRType.AAAA]);
      const v6 = [...'fd00001002440000000000000000' + '0008'].reverse().join('.') + '.ip6.arpa';
      assert.deepEqual(answerTexts(await query(h.port, v6, RRType.PTR)), [`db-0.db.${Z}.`]);

      const miss = await query(h.port, rev('10.244.200.1'), RRType.PTR);
      assert.equal(miss.header.rcode, Rcode.NXDOMAIN);
      assert.equal(nameToString(miss.authority[0]!.name), '244.10.in-addr.arpa.');
      assert.equal(miss.authority[0]!.ttl, 30);
      // Outside our ranges the reverse name is not ours to answer.
      assert.equal((await query(h.port, rev('192.168.1.1'), RRType.PTR)).header.rcode, Rcode.REFUSED);
      assert.equal((await query(h.port, '10.in-addr.arpa', RRType.PTR)).header.rcode, Rcode.REFUSED);
    } finally {
      await h.close();
    }
  });

  it('reads forwarding targets from resolv.conf text, never its own addresses (parsing only: no test forwards)', () => {
    const conf = '# generated\nsearch example.com\nnameserver 10.0.0.2\nnameserver 10.88.0.1\nnameserver fe80::1%eth0\nnameserver 10.0.0.2\noptions ndots:1\n';
    assert.deepEqual(hostNameservers(conf, ['10.88.0.1', '127.0.0.1']), ['10.0.0.2', 'fe80::1']);
  });

  it('parses reverse names strictly', () => {
    assert.deepEqual(parseReverseName(['4', '3', '2', '1'], 4), { kind: 'ip', ip: '1.2.3.4', family: 4 });
    assert.equal(parseReverseName(['04', '3', '2', '1'], 4), undefined);
    assert.equal(parseReverseName(['256', '3', '2', '1'], 4), undefined);
    assert.equal(parseReverseName(['x', '0'], 6), undefined);
    assert.equal(parseReverseName([...'00000000000000000000000000000001'].reverse(), 6)?.kind, 'ip');
  });

  it('listens on every given address, and refuses wildcards', async () => {
    const cluster = inMemoryCluster();
    const { informers } = cluster;
    const ctx = cluster.ctx();
    try {
      await assert.rejects(startDnsServer(ctx, { listen: [{ host: '0.0.0.0', port: 0 }], clusterDomain: 'cluster.local' }), /concrete IP/);
      await assert.rejects(startDnsServer(ctx, { listen: [{ host: '::', port: 0 }], clusterDomain: 'cluster.local' }), /concrete IP/);

      const dns = await startDnsServer(ctx, { listen: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }], clusterDomain: 'cluster.local' });
      try {
        assert.equal(dns.ports.length, 2);
        assert.notEqual(dns.ports[0]!.port, dns.ports[1]!.port);
        // Informers not started yet: cluster names are not known, so no false NXDOMAIN.
        assert.equal((await query(dns.ports[0]!.port, `kubernetes.${Z}`, RRType.A)).header.rcode, Rcode.SERVFAIL);
        assert.equal((await query(dns.ports[0]!.port, 'example.com', RRType.A)).header.rcode, Rcode.REFUSED);
        informers.start();
        await dns.ready;
        for (const { port } of dns.ports) {
          for (const tcp of [false, true]) assert.deepEqual(answerTexts(await query(port, `kubernetes.${Z}`, RRType.A, { tcp })), ['10.96.0.1']);
        }
      } finally {
        await dns.stop();
      }
    } finally {
      await cluster.close();
    }
  });
});
