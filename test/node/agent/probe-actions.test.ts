// httpGet and tcpSocket actions over the runtime's dial (here a fake runtime whose dial
// reaches a loopback server standing in for the pod).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpAction, tcpAction, type ActionTarget } from '../../../src/node/agent/probes/probe-actions.js';
import type { Runtime } from '../../../src/node/runtime/types.js';

const POD_IP = '10.77.0.5';
let server: http.Server;
let port = 0;
const dialed: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') return res.end('fine');
    if (req.url === '/redirect-local') {
      res.writeHead(302, { Location: `http://${POD_IP}:${port}/ok` });
      return res.end();
    }
    if (req.url === '/redirect-away') {
      res.writeHead(302, { Location: 'http://example.invalid/' });
      return res.end();
    }
    if (req.url === '/headers') return res.end(JSON.stringify(req.headers));
    res.writeHead(404);
    res.end('missing');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

function target(): ActionTarget {
  const runtime = {
    dial: async (_sb: string, p: number, host?: string) => {
      dialed.push(`${host}:${p}`);
      // The fake pod lives on loopback; the real runtime dials from the pod's namespace.
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(p, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
    },
  } as unknown as Runtime;
  return { runtime, sandboxId: 'sb', containerName: 'c', podIP: POD_IP, container: { name: 'c', ports: [{ name: 'web', containerPort: port }] }, ranges: { podCIDR: '10.77.0.0/16', serviceCIDR: '10.96.0.0/16', clusterDNS: '10.77.0.1' } };
}

describe('probe actions', () => {
  it('httpGet: 2xx succeeds, 404 fails with upstream text, named ports resolve', async () => {
    assert.deepEqual(await httpAction(target(), { path: '/ok', port: 'web' }, 1000), { ok: true });
    assert.deepEqual(await httpAction(target(), { path: '/nope', port }, 1000), { ok: false, message: 'HTTP probe failed with statuscode: 404' });
    assert.equal(dialed.at(-1), `${POD_IP}:${port}`);
  });
  it('httpGet: sends kube-probe user agent and custom headers', async () => {
    const t = target();
    const res = await httpAction(t, { path: '/headers', port, httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, 1000);
    assert.deepEqual(res, { ok: true });
  });
  it('httpGet: follows redirects within the pod address; a redirect elsewhere is a success with a warning, never followed', async () => {
    dialed.length = 0;
    assert.deepEqual(await httpAction(target(), { path: '/redirect-local', port }, 1000), { ok: true });
    assert.equal(dialed.length, 2);
    dialed.length = 0;
    const away = await httpAction(target(), { path: '/redirect-away', port }, 1000);
    assert.equal(away.ok, true);
    assert.match((away as { warning?: string }).warning ?? '', /Probe terminated redirects/);
    assert.equal(dialed.length, 1);
  });
  it('a host outside the cluster ranges fails without dialing', async () => {
    dialed.length = 0;
    const res = await httpAction(target(), { host: '192.0.2.1', path: '/ok', port }, 1000);
    assert.equal(res.ok, false);
    assert.equal(dialed.length, 0);
    const tcp = await tcpAction(target(), { host: '192.0.2.1', port }, 1000);
    assert.equal(tcp.ok, false);
    assert.equal(dialed.length, 0);
  });
  it('tcpSocket: a listening port succeeds, a closed one fails', async () => {
    assert.deepEqual(await tcpAction(target(), { port }, 1000), { ok: true });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const res = await tcpAction(target(), { port: closedPort }, 1000);
    assert.equal(res.ok, false);
  });
});
