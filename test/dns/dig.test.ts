// The same server as the real resolver tool sees it: `dig` (dnsutils) against 127.0.0.1.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RRType } from '../../src/dns/wire/constants.js';
import { service, slice, startDnsHarness, waitForAnswer, SERVICES, SLICES, type DnsHarness } from './harness.js';

const run = promisify(execFile);
const Z = 'default.svc.cluster.local';

describe('dns via dig', () => {
  let h: DnsHarness;
  let clusterIP = '';
  const dig = async (...args: string[]) => (await run('dig', [`@127.0.0.1`, '-p', String(h.port), '+time=2', '+tries=1', ...args], { timeout: 10_000 })).stdout;
  const short = async (...args: string[]) => (await dig('+short', ...args)).trim().split('\n').filter(Boolean).sort();
  const status = async (...args: string[]) => /status: (\w+)/.exec(await dig(...args))?.[1];

  before(async () => {
    h = await startDnsHarness();
    await h.client.create(SERVICES, 'default', service('examplestatefulservice', { headless: true }));
    await h.client.create(SLICES, 'default', slice('examplestatefulservice', [0, 1, 2].map((i) => ({ ip: `10.244.5.${10 + i}`, hostname: `examplestatefulset-${i}` }))));
    const svc = await h.client.create(SERVICES, 'default', service('front', { ports: [{ name: 'web', port: 80 }] }));
    clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    await h.client.create(SERVICES, 'default', service('wide', { headless: true }));
    await h.client.create(SLICES, 'default', slice('wide', Array.from({ length: 50 }, (_, i) => ({ ip: `10.244.6.${i + 1}` }))));
    await waitForAnswer(h.port, `examplestatefulservice.${Z}`, RRType.A, ['10.244.5.10', '10.244.5.11', '10.244.5.12']);
    await waitForAnswer(h.port, `10-244-6-50.wide.${Z}`, RRType.A, ['10.244.6.50']);
  });
  after(() => h.close());

  it('resolves the headless Service to every pod and each pod name to its own IP', async () => {
    assert.deepEqual(await short(`examplestatefulservice.${Z}`, 'A'), ['10.244.5.10', '10.244.5.11', '10.244.5.12']);
    assert.deepEqual(await short(`examplestatefulset-1.examplestatefulservice.${Z}`), ['10.244.5.11']);
  });

  it('lists the pods as SRV targets of the port named web, and answers PTR and TXT', async () => {
    assert.deepEqual(await short(`_web._tcp.examplestatefulservice.${Z}`, 'SRV'), [0, 1, 2].map((i) => `0 33 8080 examplestatefulset-${i}.examplestatefulservice.${Z}.`));
    assert.deepEqual(await short(`_web._tcp.front.${Z}`, 'SRV'), [`0 100 80 front.${Z}.`]);
    assert.deepEqual(await short('-x', '10.244.5.12'), [`examplestatefulset-2.examplestatefulservice.${Z}.`]);
    assert.deepEqual(await short('-x', clusterIP), [`front.${Z}.`]);
    assert.deepEqual(await short('dns-version.cluster.local', 'TXT'), ['"1.1.0"']);
  });

  it('reports NXDOMAIN, NOERROR without data, and REFUSED outside the zone', async () => {
    assert.equal(await status(`nope.${Z}`), 'NXDOMAIN');
    assert.equal(await status(`front.${Z}`, 'AAAA'), 'NOERROR');
    assert.deepEqual(await short(`front.${Z}`, 'AAAA'), []);
    assert.equal(await status('example.com', 'A'), 'REFUSED');
  });

  it('answers over TCP, and falls back to TCP when a UDP answer is truncated', async () => {
    assert.deepEqual(await short('+tcp', `examplestatefulset-0.examplestatefulservice.${Z}`), ['10.244.5.10']);
    const out = await dig('+bufsize=512', `wide.${Z}`, 'A');
    assert.match(out, /Truncated, retrying in TCP mode/);
    assert.equal((out.match(/\tA\t10\.244\.6\./g) ?? []).length, 50);
  });

  it('satisfies nslookup, which pods use, without complaints about recursion', async () => {
    const { stdout } = await run('nslookup', [`-port=${h.port}`, '-timeout=2', `examplestatefulset-2.examplestatefulservice.${Z}`, '127.0.0.1'], { timeout: 10_000 });
    assert.match(stdout, new RegExp(`Name:\\s+examplestatefulset-2\\.examplestatefulservice\\.${Z.replace(/\./g, '\\.')}\\nAddress: 10\\.244\\.5\\.12`));
    assert.doesNotMatch(stdout, /recursion not available|server can't find/);
  });

  it('gets NOTIMP for an opcode other than QUERY', async () => {
    assert.equal(await status('+opcode=2', `front.${Z}`), 'NOTIMP');
  });
});
