// exec and attach against the node's streaming server, driven by hand-written WebSocket
// v5 and SPDY v4 clients that send what kubectl sends (research/kubectl-compat.md §9).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startNodeFixture, type NodeFixture } from './node-fixture.js';
import { collect, openSpdy, openWebSocket, rawUpgrade, wsExec } from './upgrade-client.js';
import { waitFor } from '../../support/wait.js';

let node: NodeFixture;

before(async () => {
  node = await startNodeFixture();
  node.runtime.add({ namespace: 'default', pod: 'web-0', name: 'nginx', sandboxId: 'sb1', attempt: 0, running: true });
  node.runtime.add({ namespace: 'default', pod: 'web-1', name: 'nginx', sandboxId: 'sb2', attempt: 0, running: false });
});
after(() => node.close());

const q = (argv: string[], flags: string) => `/exec/default/web-0/nginx?${argv.map((a) => `command=${encodeURIComponent(a)}`).join('&')}&${flags}`;

test('v5 exec: stdin, the [255,0] close signal, stdout, stderr and a non-zero exit code', async () => {
  const r = await wsExec(node, q(['sh', '-c', 'cat; echo err >&2; exit 3'], 'stdin=true&stdout=true&stderr=true'), { stdin: [Buffer.from('line-from-stdin\n')] });
  assert.equal(r.stdout, 'line-from-stdin\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.status.status, 'Failure');
  assert.equal(r.status.reason, 'NonZeroExitCode');
  assert.deepEqual(r.status.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  // The status is the last message before the close.
  assert.equal(r.raw.at(-1)![0], 3);
});

test('v5 exec: success status, and the subprotocol is echoed', async () => {
  const { ws, protocol } = await openWebSocket(node, q(['echo', 'hello', 'world'], 'stdout=true&stderr=true'), ['v5.channel.k8s.io']);
  assert.equal(protocol, 'v5.channel.k8s.io');
  const msgs: Buffer[] = [];
  ws.onMessage((d) => msgs.push(d));
  await new Promise<void>((r) => ws.onClose(() => r()));
  assert.equal(Buffer.concat(msgs.filter((m) => m[0] === 1).map((m) => m.subarray(1))).toString(), 'hello world\n');
  assert.deepEqual(JSON.parse(msgs.find((m) => m[0] === 3)!.subarray(1).toString()), { metadata: {}, status: 'Success' });
});

test('v5 exec with a tty: resize reaches the runtime and stderr goes to channel 1', async () => {
  const before = node.runtime.resizes.length;
  const r = await wsExec(node, q(['sh', '-c', 'echo out; echo err >&2'], 'stdin=true&stdout=true&tty=true'), { resize: { Width: 80, Height: 24 } });
  assert.equal(r.stdout, 'out\nerr\n');
  assert.equal(r.stderr, '');
  await waitFor(() => node.runtime.resizes.length > before, { what: 'the resize' });
  assert.deepEqual(node.runtime.resizes.at(-1), { width: 80, height: 24 });
});

test('v5 exec carries 3 MB of binary stdin to stdout unchanged (kubectl cp)', async () => {
  const data = randomBytes(3 * 1024 * 1024);
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 32 * 1024) chunks.push(data.subarray(i, i + 32 * 1024));
  const { ws } = await openWebSocket(node, q(['cat'], 'stdin=true&stdout=true&stderr=true'), ['v5.channel.k8s.io']);
  const out: Buffer[] = [];
  let status = '';
  ws.onMessage((m) => {
    if (m[0] === 1) out.push(m.subarray(1));
    if (m[0] === 3) status = m.subarray(1).toString();
  });
  const closed = new Promise<void>((r) => ws.onClose(() => r()));
  for (const c of chunks) ws.send(Buffer.concat([Buffer.from([0]), c]));
  ws.send(Buffer.from([255, 0]));
  await closed;
  assert.ok(Buffer.concat(out).equals(data), `got ${Buffer.concat(out).length} bytes`);
  assert.match(status, /"Success"/);
});

test('SPDY v4 exec: SYN_REPLY per stream, output, Status on the error stream, FIN everywhere', async () => {
  const { session, protocol } = await openSpdy(node, q(['sh', '-c', 'cat; echo out; echo err >&2; exit 2'], 'stdin=true&stdout=true&stderr=true'), [
    'v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io',
  ]);
  assert.equal(protocol, 'v4.channel.k8s.io');
  const error = session.openStream([['streamtype', 'error']]);
  const stdin = session.openStream([['streamtype', 'stdin']]);
  const stdout = session.openStream([['streamtype', 'stdout']]);
  const stderr = session.openStream([['streamtype', 'stderr']]);
  await Promise.all([error, stdin, stdout, stderr].map((s) => s.replied$()));
  const [errText, outText, errOut] = [collect(error), collect(stdout), collect(stderr)];
  stdin.write(Buffer.from('from-stdin\n'));
  stdin.end();
  assert.equal((await outText).toString(), 'from-stdin\nout\n');
  assert.equal((await errOut).toString(), 'err\n');
  const status = JSON.parse((await errText).toString()) as { reason: string; details: unknown };
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details, { causes: [{ reason: 'ExitCode', message: '2' }] });
  session.close();
});

test('SPDY v4 exec with a tty takes resize on its own stream', async () => {
  const before = node.runtime.resizes.length;
  const { session } = await openSpdy(node, q(['sh', '-c', 'cat >/dev/null; echo done'], 'stdin=true&stdout=true&tty=true'), ['v4.channel.k8s.io']);
  const streams = ['error', 'stdin', 'stdout', 'resize'].map((t) => session.openStream([['streamtype', t]]));
  await Promise.all(streams.map((s) => s.replied$()));
  const [error, stdin, stdout, resize] = streams as [typeof streams[0], typeof streams[0], typeof streams[0], typeof streams[0]];
  const out = collect(stdout);
  const errText = collect(error);
  resize.write(Buffer.from('{"Width":120,"Height":40}\n'));
  await waitFor(() => node.runtime.resizes.length > before, { what: 'the resize' });
  stdin.end();
  assert.equal((await out).toString(), 'done\n');
  assert.match((await errText).toString(), /"Success"/);
  assert.deepEqual(node.runtime.resizes.at(-1), { width: 120, height: 40 });
  session.close();
});

test('refusals: no token, unknown container, stopped container, no command, no common protocol', async () => {
  const wsHeaders: [string, string][] = [['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA=='], ['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Protocol', 'v5.channel.k8s.io']];
  const unauth = await rawUpgrade({ ...node, token: 'wrong' }, 'GET', q(['true'], 'stdout=1'), wsHeaders);
  assert.equal(unauth.status, 401);
  const unknown = await rawUpgrade(node, 'GET', '/exec/default/web-0/nope?command=true&stdout=1', wsHeaders);
  assert.equal(unknown.status, 404);
  assert.match(unknown.rest.toString(), /container not found \(\\"nope\\"\)/);
  const stopped = await rawUpgrade(node, 'GET', '/exec/default/web-1/nginx?command=true&stdout=1', wsHeaders);
  assert.equal(stopped.status, 400);
  assert.match(stopped.rest.toString(), /is not running/);
  const noCommand = await rawUpgrade(node, 'GET', '/exec/default/web-0/nginx?stdout=1', wsHeaders);
  assert.equal(noCommand.status, 400);
  const badProto = await rawUpgrade(node, 'GET', q(['true'], 'stdout=1'), wsHeaders.map(([k, v]) => [k, k === 'Sec-WebSocket-Protocol' ? 'base64.channel.k8s.io' : v]));
  assert.equal(badProto.status, 400, 'kubectl falls back to SPDY on a non-101 answer');
});

test('attach streams what the container writes from now on, split by stream, until it stops', async () => {
  const c = node.runtime.add({ namespace: 'default', pod: 'att', name: 'main', sandboxId: 'sb-att', attempt: 0, running: true });
  node.runtime.writeLog(c, 0, [{ text: 'old line' }]);
  const { ws } = await openWebSocket(node, '/attach/default/att/main?stdout=1&stderr=1', ['v5.channel.k8s.io']);
  const msgs: Buffer[] = [];
  ws.onMessage((m) => msgs.push(m));
  const closed = new Promise<void>((r) => ws.onClose(() => r()));
  // Append until the attach has certainly started reading, then stop the container.
  await waitFor(() => {
    node.runtime.writeLog(c, 0, [{ text: 'new out' }, { text: 'new err', stream: 'stderr' }]);
    return msgs.some((m) => m[0] === 1);
  }, { what: 'attached output' });
  c.running = false;
  await closed;
  const text = (ch: number) => Buffer.concat(msgs.filter((m) => m[0] === ch).map((m) => m.subarray(1))).toString();
  assert.ok(!text(1).includes('old line'));
  assert.match(text(1), /^(new out\n)+$/);
  assert.match(text(2), /^(new err\n)+$/);
  assert.match(text(3), /Success/);
});
