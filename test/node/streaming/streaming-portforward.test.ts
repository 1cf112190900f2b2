// port-forward against the node's streaming server: SPDY on the upgraded socket (kubectl
// ≤ 1.30) and SPDY tunnelled in WebSocket binary messages (kubectl ≥ 1.31).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startNodeFixture, type NodeFixture } from './node-fixture.js';
import { collect, openSpdy, openWebSocket } from './upgrade-client.js';
import { spdyOverWebSocket } from '../../../src/node/streaming/spdy-transports.js';
import type { SpdySession } from '../../../src/node/streaming/spdy-session.js';

let node: NodeFixture;
let http: Server;

before(async () => {
  node = await startNodeFixture();
  node.runtime.add({ namespace: 'default', pod: 'web-0', name: 'nginx', sandboxId: 'sb1', attempt: 0, running: true });
  http = createServer((req, res) => {
    const body = `hello from ${req.url}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  node.runtime.ports.set(80, (http.address() as AddressInfo).port);
});
after(async () => {
  http.close();
  await node.close();
});

/** One local connection as kubectl handles it: error + data streams, request, response. */
async function roundTrip(session: SpdySession, requestId: number, port: number, path: string): Promise<{ response: string; error: string }> {
  const common: [string, string][] = [['port', String(port)], ['requestid', String(requestId)]];
  const error = session.openStream([['streamtype', 'error'], ...common]);
  await error.replied$();
  error.end(); // kubectl half-closes the error stream at once
  const data = session.openStream([['streamtype', 'data'], ...common]);
  await data.replied$();
  const errText = collect(error);
  const response = collect(data);
  data.write(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
  data.end();
  return { response: (await response).toString(), error: (await errText).toString() };
}

test('plain SPDY port-forward carries HTTP requests, one stream pair per connection', async () => {
  const { session, protocol } = await openSpdy(node, '/portForward/default/web-0', ['portforward.k8s.io']);
  assert.equal(protocol, 'portforward.k8s.io');
  const a = await roundTrip(session, 0, 80, '/first');
  assert.match(a.response, /^HTTP\/1\.1 200 OK/);
  assert.match(a.response, /hello from \/first\n$/);
  assert.equal(a.error, '', 'the error stream closes empty');
  const b = await roundTrip(session, 1, 80, '/second');
  assert.match(b.response, /hello from \/second\n$/);
  session.close();
});

test('port-forward to a port nothing listens on reports on the error stream', async () => {
  const { session } = await openSpdy(node, '/portForward/default/web-0', ['portforward.k8s.io']);
  const r = await roundTrip(session, 0, 81, '/');
  assert.equal(r.response, '');
  assert.match(r.error, /^error forwarding port 81 to pod web-0, uid uid-web-0: .*connection refused/);
  session.close();
});

test('port-forward tunnelled in WebSocket (SPDY/3.1+portforward.k8s.io)', async () => {
  const { ws, protocol } = await openWebSocket(node, '/portForward/default/web-0', ['SPDY/3.1+portforward.k8s.io']);
  assert.equal(protocol, 'SPDY/3.1+portforward.k8s.io');
  const session = spdyOverWebSocket(ws, 'client');
  const r = await roundTrip(session, 0, 80, '/tunnel');
  assert.match(r.response, /hello from \/tunnel\n$/);
  assert.equal(r.error, '');
  const r2 = await roundTrip(session, 1, 80, '/again');
  assert.match(r2.response, /hello from \/again\n$/);
  session.close();
});

test('port-forward for a pod this node does not have is refused before the upgrade', async () => {
  await assert.rejects(openSpdy(node, '/portForward/default/nope', ['portforward.k8s.io']), /404/);
});
