// The real kubectl (1.27: SPDY; 1.33: WebSocket and the WebSocket tunnel) through the API
// server's node proxy to the node's streaming server over a fake runtime: logs, exec, cp,
// port-forward, and the API server's own refusals.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, get as httpGet, type Server as HttpServer } from 'node:http';
import { request } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import { startNodeFixture, type NodeFixture } from './node-fixture.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';
import type { FakeContainer } from './fake-runtime.js';
import { waitFor } from '../../support/wait.js';
import { KUBECTL_VERSIONS_UNDER_TEST, kubectlBinary } from '../../support/kubectl.js';
import { trackProcess } from '../../support/temp.js';
import { spawn } from 'node:child_process';

let node: NodeFixture;
let api: ApiFixture;
let web: FakeContainer;
let http: HttpServer;
let sentinel: TcpServer;
let sentinelConnections = 0;

before(async () => {
  node = await startNodeFixture();
  api = await startApiFixture(node, ['10.250.0.1']);
  api.addNode('node-a', '127.0.0.1', node.port);
  api.addPod('web-0', 'node-a', ['nginx']);
  api.addPod('multi', 'node-a', ['a', 'b']);
  api.addPod('pending', undefined, ['c'], 'Pending');
  web = node.runtime.add({ namespace: 'default', pod: 'web-0', name: 'nginx', sandboxId: 'sb1', attempt: 1, previousAttempt: 0, running: true });
  node.runtime.add({ namespace: 'default', pod: 'multi', name: 'a', sandboxId: 'sb2', attempt: 0, running: true });
  node.runtime.add({ namespace: 'default', pod: 'multi', name: 'b', sandboxId: 'sb2', attempt: 0, running: true });
  node.runtime.writeLog(web, 0, [{ text: 'first attempt' }]);
  node.runtime.writeLog(web, 1, [{ text: 'line 1' }, { text: 'line 2' }, { text: 'line 3' }]);

  http = createHttpServer((req, res) => {
    const body = `served ${req.url}\n`;
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  node.runtime.ports.set(80, (http.address() as AddressInfo).port);

  // A Node that records a foreign address: its "port" is this listener, which must never
  // see a connection.
  sentinel = createTcpServer((s) => {
    sentinelConnections++;
    s.destroy();
  });
  await new Promise<void>((r) => sentinel.listen(0, '127.0.0.1', () => r()));
  api.addNode('far', '192.0.2.10', (sentinel.address() as AddressInfo).port);
  api.addPod('faraway', 'far', ['c']);
});

after(async () => {
  http.close();
  sentinel.close();
  await api.close();
  await node.close();
});

test('kubectl logs, --tail, --previous, -c', async () => {
  const all = await api.kubectl(['logs', 'web-0']);
  assert.equal(all.stdout, 'line 1\nline 2\nline 3\n', all.stderr);
  assert.equal((await api.kubectl(['logs', 'web-0', '--tail=1'])).stdout, 'line 3\n');
  assert.equal((await api.kubectl(['logs', 'web-0', '--previous'])).stdout, 'first attempt\n');
  const ts = await api.kubectl(['logs', 'web-0', '--timestamps', '--tail=1']);
  assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line 3\n$/);
  node.runtime.writeLog(node.runtime.find('sb2', 'b')!, 0, [{ text: 'from b' }]);
  assert.equal((await api.kubectl(['logs', 'multi', '-c', 'b'])).stdout, 'from b\n');
});

test('kubectl logs -f follows until the container stops', async () => {
  const c = node.runtime.add({ namespace: 'default', pod: 'follow', name: 'main', sandboxId: 'sb3', attempt: 0, running: true });
  api.addPod('follow', 'node-a', ['main']);
  node.runtime.writeLog(c, 0, [{ text: 'start' }]);
  const bg = api.kubectlBackground(['logs', '-f', 'follow']);
  try {
    await waitFor(() => bg.stdout().includes('start\n'), { what: 'the first line' });
    node.runtime.writeLog(c, 0, [{ text: 'more' }]);
    await waitFor(() => bg.stdout().includes('more\n'), { what: 'the followed line' });
    c.running = false;
    await waitFor(() => bg.proc.exitCode !== null, { what: 'kubectl logs -f to end when the container stops' });
    assert.equal(bg.proc.exitCode, 0);
    assert.equal(bg.stdout(), 'start\nmore\n');
  } finally {
    await bg.stop();
  }
});

for (const version of KUBECTL_VERSIONS_UNDER_TEST) {
  test(`kubectl ${version} exec: output, stderr and the exit code`, async () => {
    const r = await api.kubectl(['exec', 'web-0', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { version });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^err\n/);
    assert.match(r.stderr, /command terminated with exit code 3/);
  });

  test(`kubectl ${version} exec -i: piped stdin reaches the command and its end is seen`, async () => {
    const r = await api.kubectl(['exec', '-i', 'web-0', '--', 'sh', '-c', 'cat; echo done'], { version, stdin: 'line-from-stdin\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'line-from-stdin\ndone\n');
  });

  test(`kubectl ${version} exec -it under a pseudo-terminal`, async () => {
    // `script` gives kubectl a terminal; spawned asynchronously, as the API server runs in this process.
    const cmd = `${kubectlBinary(version)} --kubeconfig ${api.kubeconfig} exec -it web-0 -- sh -c 'echo tty-ok'`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, HOME: join(node.dir, 'api', 'home'), KUBECONFIG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    trackProcess(child);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(code, 0, out);
    assert.match(out, /tty-ok/);
  });

  test(`kubectl ${version} cp round-trips a 3 MB file`, async () => {
    const dir = join(node.dir, `cp-${version}`);
    mkdirSync(join(dir, 'pod-side'), { recursive: true });
    const data = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(dir, 'big.bin'), data);
    // The fake runtime runs commands on the host, so "the pod's" path is under our temp dir.
    const to = await api.kubectl(['cp', join(dir, 'big.bin'), `web-0:${join(dir, 'pod-side', 'big.bin')}`], { version, cwd: dir });
    assert.equal(to.code, 0, to.stderr);
    assert.ok(readFileSync(join(dir, 'pod-side', 'big.bin')).equals(data), 'the copy into the pod is identical');
    const back = await api.kubectl(['cp', `web-0:${join(dir, 'pod-side', 'big.bin')}`, join(dir, 'back.bin')], { version, cwd: dir });
    assert.equal(back.code, 0, back.stderr);
    assert.ok(readFileSync(join(dir, 'back.bin')).equals(data), 'the copy back is identical');
  });

  test(`kubectl ${version} port-forward carries an HTTP request to the pod`, async () => {
    const bg = api.kubectlBackground(['port-forward', 'pod/web-0', ':80'], { version });
    try {
      const m = await waitFor(() => /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(bg.stdout()), { what: `the forwarding line (stderr: ${bg.stderr()})`, timeoutMs: 20_000 });
      const localPort = Number(m[1]);
      for (const path of ['/one', '/two']) {
        const body = await new Promise<string>((resolve, reject) => {
          httpGet({ host: '127.0.0.1', port: localPort, path, agent: false }, (res) => {
            let b = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (b += d));
            res.on('end', () => resolve(b));
          }).on('error', reject);
        });
        assert.equal(body, `served ${path}\n`);
      }
    } finally {
      await bg.stop();
    }
  });
}

function apiGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: new URL(api.url).port, path, ca: api.ca, headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('the API server validates the container and the pod before reaching the node', async () => {
  const multi = await apiGet('/api/v1/namespaces/default/pods/multi/log');
  assert.equal(multi.status, 400);
  assert.equal(JSON.parse(multi.body).message, 'a container name must be specified for pod multi, choose one of: [a b]');
  const bad = await apiGet('/api/v1/namespaces/default/pods/multi/log?container=zz');
  assert.equal(JSON.parse(bad.body).message, 'container zz is not valid for pod multi');
  const pending = await api.kubectl(['exec', 'pending', '--', 'true']);
  assert.notEqual(pending.code, 0);
  assert.match(pending.stderr, /pod pending does not have a host assigned/);
  // Upstream: an unscheduled pod's log is an empty stream.
  assert.deepEqual(await apiGet('/api/v1/namespaces/default/pods/pending/log'), { status: 200, body: '' });
  const noUpgrade = await apiGet('/api/v1/namespaces/default/pods/web-0/exec?command=true');
  assert.equal(noUpgrade.status, 400);
  const missing = await api.kubectl(['logs', 'nope']);
  assert.match(missing.stderr, /pods "nope" not found/);
});

test('a Node recording a foreign address gets a clear error and no connection', async () => {
  const logs = await api.kubectl(['logs', 'faraway']);
  assert.notEqual(logs.code, 0);
  assert.match(logs.stderr, /Forbidden.*192\.0\.2\.10.*not an agent this ordinal runs/);
  const exec = await api.kubectl(['exec', 'faraway', '--', 'true']);
  assert.match(exec.stderr, /not an agent this ordinal runs/);
  const pf = await api.kubectl(['port-forward', 'pod/faraway', ':80'], { timeoutMs: 30_000 });
  assert.notEqual(pf.code, 0);
  assert.equal(sentinelConnections, 0);
});

test('a Node at an allowed bridge address is reached through loopback', async () => {
  api.addNode('bridge-node', '10.250.0.1', node.port);
  api.addPod('on-bridge', 'bridge-node', ['nginx']);
  const c = node.runtime.add({ namespace: 'default', pod: 'on-bridge', name: 'nginx', sandboxId: 'sb9', attempt: 0, running: true });
  node.runtime.writeLog(c, 0, [{ text: 'via bridge' }]);
  const r = await api.kubectl(['logs', 'on-bridge']);
  assert.equal(r.stdout, 'via bridge\n', r.stderr);
});
