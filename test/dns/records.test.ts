// The cluster zone as the Kubernetes DNS specification (schema 1.1.0) and CoreDNS answer it,
// from Services and EndpointSlices created in a real Registry.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rcode, RRType } from '../../src/dns/wire/constants.js';
import { nameToString } from '../../src/dns/wire/name.js';
import { answerTexts, query, rdataText } from './dns-client.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from './harness.js';

const Z = 'default.svc.cluster.local';

describe('dns records', () => {
  let h: DnsHarness;
  let clusterIP = '';

  before(async () => {
    h = await startDnsHarness();
    const c = h.client;
    await c.create(SERVICES, 'default', service('nginx', { headless: true }));
    await c.create(SLICES, 'default', slice('nginx', [
      { ip: '10.244.1.10', hostname: 'web-0' },
      { ip: '10.244.1.11', hostname: 'web-1' },
      { ip: '10.244.1.12', hostname: 'web-2' },
      { ip: '10.244.1.13', hostname: 'web-3', ready: false },
    ]));
    const svc = await c.create(SERVICES, 'default', service('front', { ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
    clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    await c.create(SLICES, 'default', slice('front', [{ ip: '10.244.2.5' }], { ports: [{ name: 'http', port: 8080 }] }));
    await c.create(SERVICES, 'default', service('empty', { headless: true }));
    await c.create(SERVICES, 'default', service('ext', { externalName: 'db.example.com' }));
    await c.create(SERVICES, 'default', service('alias', { externalName: `front.${Z}` }));
    await waitForAnswer(h.port, `nginx.${Z}`, RRType.A, ['10.244.1.10', '10.244.1.11', '10.244.1.12']);
    await waitForAnswer(h.port, `front.${Z}`, RRType.A, [clusterIP]);
  });
  after(() => h.close());

  it('gives a headless Service one A record per ready endpoint, authoritative, TTL 5', async () => {
    const m = await query(h.port, `nginx.${Z}`, RRType.A);
    assert.equal(m.header.rcode, Rcode.NOERROR);
    assert.equal(m.header.aa, true);
    assert.deepEqual(answerTexts(m), ['10.244.1.10', '10.244.1.11', '10.244.1.12']);
    assert.ok(m.answers.every((rr) => rr.ttl === 5 && nameToString(rr.name) === `nginx.${Z}.`));
  });

  it('rotates the order of a multi-address answer between queries', async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 6; i++) firsts.add((await query(h.port, `nginx.${Z}`, RRType.A)).answers.map(rdataText)[0]!);
    assert.ok(firsts.size > 1, `always ${[...firsts]} first`);
  });

  it('answers a per-pod hostname, and the dashed-IP name of an endpoint without one', async () => {
    assert.deepEqual(answerTexts(await query(h.port, `web-1.nginx.${Z}`, RRType.A)), ['10.244.1.11']);
    assert.deepEqual(answerTexts(await query(h.port, `10-244-2-5.front.${Z}`, RRType.A)), ['10.244.2.5']);
    // A not-ready endpoint has no name at all.
    assert.equal((await query(h.port, `web-3.nginx.${Z}`, RRType.A)).header.rcode, Rcode.NXDOMAIN);
  });

  it('matches names case-insensitively and echoes the question as asked', async () => {
    const m = await query(h.port, `WeB-0.NGINX.Default.svc.Cluster.Local`, RRType.A);
    assert.deepEqual(answerTexts(m), ['10.244.1.10']);
    assert.equal(nameToString(m.questions[0]!.name), 'WeB-0.NGINX.Default.svc.Cluster.Local.');
  });

  it('gives a ClusterIP Service its cluster IP', async () => {
    assert.deepEqual(answerTexts(await query(h.port, `front.${Z}`, RRType.A)), [clusterIP]);
  });

  it('lists SRV records for a named port of a headless Service, with the pods as targets and glue', async () => {
    const m = await query(h.port, `_web._tcp.nginx.${Z}`, RRType.SRV);
    assert.deepEqual(answerTexts(m, RRType.SRV), [0, 1, 2].map((i) => `0 33 8080 web-${i}.nginx.${Z}.`));
    const glue = m.additional.filter((rr) => rr.type === RRType.A).map((rr) => `${nameToString(rr.name)} ${rdataText(rr)}`).sort();
    assert.deepEqual(glue, [0, 1, 2].map((i) => `web-${i}.nginx.${Z}. 10.244.1.1${i}`));
  });

  it('gives a ClusterIP Service one SRV record to its own name for a named port, none for an unknown one', async () => {
    const m = await query(h.port, `_http._tcp.front.${Z}`, RRType.SRV);
    assert.deepEqual(answerTexts(m, RRType.SRV), [`0 100 80 front.${Z}.`]);
    assert.deepEqual(m.additional.filter((rr) => rr.type === RRType.A).map(rdataText), [clusterIP]);
    assert.equal((await query(h.port, `_nope._tcp.front.${Z}`, RRType.SRV)).header.rcode, Rcode.NXDOMAIN);
    assert.equal((await query(h.port, `_http._udp.front.${Z}`, RRType.SRV)).header.rcode, Rcode.NXDOMAIN);
  });

  it('answers PTR for a ClusterIP and for a headless endpoint', async () => {
    const rev = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    assert.deepEqual(answerTexts(await query(h.port, rev(clusterIP), RRType.PTR)), [`front.${Z}.`]);
    assert.deepEqual(answerTexts(await query(h.port, rev('10.244.1.12'), RRType.PTR)), [`web-2.nginx.${Z}.`]);
    assert.deepEqual(answerTexts(await query(h.port, rev('10.244.2.5'), RRType.PTR)), [`10-244-2-5.front.${Z}.`]);
    const miss = await query(h.port, rev('10.244.9.9'), RRType.PTR);
    assert.equal(miss.header.rcode, Rcode.NXDOMAIN);
  });

  it('serves the dns-version TXT record', async () => {
    const m = await query(h.port, 'dns-version.cluster.local', RRType.TXT);
    assert.deepEqual(answerTexts(m), ['"1.1.0"']);
  });

  it('answers an ExternalName Service with a CNAME, following in-zone targets', async () => {
    const ext = await query(h.port, `ext.${Z}`, RRType.A);
    assert.equal(ext.header.rcode, Rcode.NOERROR);
    assert.deepEqual(ext.answers.map((rr) => `${rr.type} ${rdataText(rr)}`), [`${RRType.CNAME} db.example.com.`]);
    const alias = await query(h.port, `alias.${Z}`, RRType.A);
    assert.deepEqual(alias.answers.map((rr) => `${nameToString(rr.name)} ${rdataText(rr)}`), [`alias.${Z}. front.${Z}.`, `front.${Z}. ${clusterIP}`]);
  });

  it('says NXDOMAIN with the SOA for names that do not exist', async () => {
    for (const name of [`nope.${Z}`, 'svc.nope.svc.cluster.local', 'x.cluster.local', `a.b.c.nginx.${Z}`, `empty.${Z}`]) {
      const m = await query(h.port, name, RRType.A);
      assert.equal(m.header.rcode, Rcode.NXDOMAIN, name);
      assert.equal(m.answers.length, 0);
      assert.equal(m.authority[0]?.type, RRType.SOA, name);
      assert.equal(nameToString(m.authority[0]!.name), 'cluster.local.');
    }
  });

  it('says NOERROR with no data (and the SOA) for a type the name does not hold', async () => {
    for (const [name, type] of [[`nginx.${Z}`, RRType.MX], [`front.${Z}`, RRType.AAAA], [`web-0.nginx.${Z}`, RRType.TXT], [Z, RRType.A], ['svc.cluster.local', RRType.A]] as const) {
      const m = await query(h.port, name, type);
      assert.equal(m.header.rcode, Rcode.NOERROR, name);
      assert.equal(m.answers.length, 0, name);
      assert.equal(m.authority[0]?.type, RRType.SOA, name);
    }
  });

  it('answers the deprecated pod A record for a dashed IPv4 in an existing namespace', async () => {
    assert.deepEqual(answerTexts(await query(h.port, '10-244-1-10.default.pod.cluster.local', RRType.A)), ['10.244.1.10']);
    assert.equal((await query(h.port, '10-244-1-10.nope.pod.cluster.local', RRType.A)).header.rcode, Rcode.NXDOMAIN);
  });

  it('refuses names outside the zone without recursion', async () => {
    for (const name of ['example.com', 'cluster.local.example.com', 'localhost']) {
      const m = await query(h.port, name, RRType.A);
      assert.equal(m.header.rcode, Rcode.REFUSED, name);
      assert.equal(m.answers.length, 0);
      assert.equal(m.header.aa, false);
    }
  });

  it('follows EndpointSlice changes at once: added, unready, removed endpoints and a deleted slice', async () => {
    const c = h.client;
    await c.create(SERVICES, 'default', service('moving', { headless: true }));
    const created = await c.create(SLICES, 'default', slice('moving', [{ ip: '10.244.3.1', hostname: 'm-0' }]));
    await waitForAnswer(h.port, `moving.${Z}`, RRType.A, ['10.244.3.1']);

    const next = structuredClone(created) as Record<string, any>;
    next.endpoints = [
      { addresses: ['10.244.3.7'], hostname: 'm-0', conditions: { ready: true } },
      { addresses: ['10.244.3.2'], hostname: 'm-1', conditions: { ready: true } },
    ];
    const updated = await c.update(SLICES, 'default', next as never);
    await waitForAnswer(h.port, `moving.${Z}`, RRType.A, ['10.244.3.2', '10.244.3.7']);
    await waitForAnswer(h.port, `m-0.moving.${Z}`, RRType.A, ['10.244.3.7']);

    const unready = structuredClone(updated) as Record<string, any>;
    unready.endpoints[1].conditions.ready = false;
    await c.update(SLICES, 'default', unready as never);
    await waitForAnswer(h.port, `moving.${Z}`, RRType.A, ['10.244.3.7']);

    await c.delete(SLICES, 'default', 'moving-abcde');
    await waitForAnswer(h.port, `moving.${Z}`, RRType.A, []);
    assert.equal((await query(h.port, `moving.${Z}`, RRType.A)).header.rcode, Rcode.NXDOMAIN);
  });

  it('merges several slices of one Service and forgets a deleted Service', async () => {
    const c = h.client;
    await c.create(SERVICES, 'default', service('multi', { headless: true }));
    await c.create(SLICES, 'default', slice('multi', [{ ip: '10.244.4.1' }], { suffix: 'one' }));
    await c.create(SLICES, 'default', slice('multi', [{ ip: '10.244.4.2' }], { suffix: 'two' }));
    await waitForAnswer(h.port, `multi.${Z}`, RRType.A, ['10.244.4.1', '10.244.4.2']);
    await c.delete(SERVICES, 'default', 'multi');
    await waitForAnswer(h.port, `multi.${Z}`, RRType.A, []);
    assert.equal((await query(h.port, `multi.${Z}`, RRType.A)).header.rcode, Rcode.NXDOMAIN);
  });
});
