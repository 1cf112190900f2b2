// The node agent end to end: `ordinal up --runtime process` and the real kubectl. Pods are
// host processes in their own namespaces (python3, sh, tar of this machine), each with its own
// IP on the instance's bridge. Every check is one the issue's "must hold" list names; the last
// test stops the server and finds nothing of it left on the host.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pickFreeRanges } from '../../node/network/host-support.js';
import { kubectlBinary, type KubectlVersion } from '../../support/kubectl.js';
import type { WatchStream } from '../../support/api-client.js';
import { startServer, type TestServer } from '../../support/server.js';
import { trackProcess } from '../../support/temp.js';
import { waitFor } from '../../support/wait.js';
import {
  apply, cidrContains, condition, containerRunning, findFiles, freeLocalPort, getPod, httpGet, isReady, kc, leftovers, rootSkip, routeGet,
  waitPod, waitReady, type J,
} from './support.js';

const tag = randomBytes(4).toString('hex');
const EMPTY_MOUNT = `/e2e-empty-${tag}`;
const HOST_MOUNT = `/e2e-hostpath-${tag}`;

const web = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec:
  containers:
  - name: web
    image: python:3
    command: [sh, -c, 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec python3 -m http.server 80 --directory /www']
    ports: [{containerPort: 80}]
`;

// A crashing container, created in before() so that its back-off runs while other tests do.
const CRASHER = `apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo crashing; exit 1']
`;

const TALKER = `apiVersion: v1
kind: Pod
metadata: {name: talker}
spec:
  containers:
  - name: t
    image: busybox
    command: [sh, -c, 'echo first-line; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo later-line; exec sleep 100000']
`;

let s: TestServer | undefined;
let podCidr: string;
let serviceCidr: string;
let hostPathDir: string;
/** The crasher's (restartCount, waiting reason) as the watch delivered them, from its creation on. */
const crashSeen: { count: number; reason?: string; at: number }[] = [];
let crashWatch: WatchStream | undefined;

const server = (): TestServer => {
  if (!s) throw new Error('no server');
  return s;
};

describe('node agent end to end (process runtime, real kubectl)', { skip: rootSkip }, () => {
  before(async () => {
    [podCidr, serviceCidr] = (await pickFreeRanges(2)) as [string, string];
    s = await startServer({ runtime: 'process', podCidr, serviceCidr, extraArgs: ['--crashloop-base', '1s'] });
    hostPathDir = path.join(s.workDir, 'hostpath-volume');
    mkdirSync(hostPathDir);
    const vol = `apiVersion: v1
kind: Pod
metadata: {name: vol}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, '100000']
    volumeMounts:
    - {name: scratch, mountPath: ${EMPTY_MOUNT}}
    - {name: hp, mountPath: ${HOST_MOUNT}}
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: hp, hostPath: {path: ${hostPathDir}, type: Directory}}
`;
    crashWatch = await s.api().watch('/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dcrasher', {}, (e) => {
      const cs = e.object?.status?.containerStatuses?.[0];
      if (!cs) return;
      const last = crashSeen[crashSeen.length - 1];
      const reason = cs.state?.waiting?.reason;
      if (!last || last.count !== cs.restartCount || last.reason !== reason) crashSeen.push({ count: cs.restartCount, reason, at: Date.now() });
    });
    await apply(s, [web('web-a'), web('web-b'), CRASHER, TALKER, vol].join('---\n'));
  });

  after(async () => {
    crashWatch?.close();
    if (process.env.E2E_DEBUG) console.log(s?.logs());
    await s?.dispose();
  });

  test('ip route get: a pod-CIDR address off the bridge and an unassigned ClusterIP are unreachable', async () => {
    const [a, b] = podCidr.split('.');
    const [c, d] = serviceCidr.split('.');
    const offBridge = `${a}.${b}.200.7`;
    const clusterIp = `${c}.${d}.255.201`;
    assert.ok(cidrContains(podCidr, offBridge) && cidrContains(serviceCidr, clusterIp));
    const svcs = JSON.parse(await kc(server(), ['get', 'svc', '-A', '-o', 'json'])).items as J[];
    assert.ok(!svcs.some((x) => x.spec.clusterIP === clusterIp), `${clusterIp} is unassigned`);
    for (const dst of [offBridge, clusterIp]) {
      const answer = await routeGet(dst);
      assert.match(answer, /unreachable|blackhole|No route to host/i, `ip route get ${dst}: ${answer}`);
    }
  });

  test('two pods serve port 80 at their own IPs, reachable from the host and from each other', async () => {
    const a = await waitReady(server(), 'web-a');
    const b = await waitReady(server(), 'web-b');
    assert.notEqual(a.status.podIP, b.status.podIP);
    for (const p of [a, b]) {
      assert.ok(cidrContains(podCidr, p.status.podIP), `${p.status.podIP} in ${podCidr}`);
      const r = await waitFor(() => httpGet(`http://${p.status.podIP}/`), { what: `GET ${p.status.podIP} from the host`, timeoutMs: 15_000 });
      assert.deepEqual([r.status, r.body], [200, `hello from ${p.metadata.name}\n`]);
    }
    const fetch = (ip: string) => `import urllib.request; print(urllib.request.urlopen("http://${ip}/", timeout=5).read().decode(), end="")`;
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const out = await kc(server(), ['exec', from.metadata.name, '--', 'python3', '-c', fetch(to.status.podIP)]);
      assert.equal(out, `hello from ${to.metadata.name}\n`, `${from.metadata.name} -> ${to.metadata.name}`);
    }
  });

  test('kubectl exec POD -- hostname prints the pod name', async () => {
    assert.equal(await kc(server(), ['exec', 'web-a', '--', 'hostname']), 'web-a\n');
    assert.equal(await kc(server(), ['exec', 'web-b', '--', 'hostname']), 'web-b\n');
  });

  test('a file written at a volume mountPath lands in the volume directory on the host, and nowhere else', async () => {
    const p = await waitPod(server(), 'vol', (x) => containerRunning(x, 'c'), 'container running');
    const fEmpty = `e-${tag}`;
    const fHost = `h-${tag}`;
    const fRoot = `r-${tag}`;
    await kc(server(), ['exec', 'vol', '--', 'sh', '-c', `echo one > ${EMPTY_MOUNT}/${fEmpty} && echo two > ${HOST_MOUNT}/${fHost} && echo three > /etc/${fRoot}`]);
    // hostPath: the directory the test gave, only there.
    assert.equal(readFileSync(path.join(hostPathDir, fHost), 'utf8'), 'two\n');
    const root = path.dirname(server().dataDir);
    assert.deepEqual(findFiles(root, fHost), [path.join(hostPathDir, fHost)]);
    // emptyDir: one file, in the pod's own volume directory under the data dir.
    const hits = findFiles(root, fEmpty);
    assert.equal(hits.length, 1, `emptyDir file found at ${hits.join(', ')}`);
    assert.ok(hits[0]!.startsWith(server().dataDir + '/') && hits[0]!.includes(p.metadata.uid) && hits[0]!.includes('scratch'), hits[0]);
    assert.equal(readFileSync(hits[0]!, 'utf8'), 'one\n');
    // The mount paths and a write outside any volume never reach the host's own tree.
    assert.equal(existsSync(EMPTY_MOUNT), false);
    assert.equal(existsSync(HOST_MOUNT), false);
    assert.equal(existsSync(`/etc/${fRoot}`), false);
  });

  test("a pod cannot see ordinal's data dir", async () => {
    const dataDir = server().dataDir;
    assert.ok(existsSync(path.join(dataDir, 'state.db')) || existsSync(path.join(dataDir, 'pki')), 'the data dir holds state on the host');
    const r = await server().kubectl(['exec', 'web-a', '--', 'ls', dataDir]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No such file or directory/);
    const pki = await server().kubectl(['exec', 'web-a', '--', 'sh', '-c', `cat ${dataDir}/pki/* ${dataDir}/token* 2>/dev/null | wc -c`]);
    assert.equal(pki.stdout.trim(), '0');
  });

  test('kubectl logs shows the output, and -f follows it', async () => {
    const s = server();
    await waitFor(async () => (await kc(s, ['logs', 'talker'])) === 'first-line\n', { what: 'talker logs first-line', timeoutMs: 20_000 });
    const follow = s.kubectlBackground(['logs', '-f', 'talker']);
    try {
      await waitFor(() => follow.stdout().includes('first-line'), { what: 'logs -f prints the first line' });
      assert.ok(!follow.stdout().includes('later-line'));
      await kc(s, ['exec', 'talker', '--', 'touch', '/tmp/go']);
      await waitFor(() => follow.stdout().includes('later-line\n'), { what: `logs -f follows a later line (got ${JSON.stringify(follow.stdout())})`, timeoutMs: 10_000 });
      assert.equal(follow.proc.exitCode, null, 'still following');
    } finally {
      await follow.stop();
    }
    assert.equal(await kc(s, ['logs', 'talker', '--tail', '1']), 'later-line\n');
  });

  for (const version of ['1.27', '1.33'] as KubectlVersion[]) {
    test(`kubectl ${version} exec -it under a pseudo-terminal`, async () => {
      const r = await underPty(version, ['exec', '-it', 'web-a', '--', 'sh'], 'tty\necho marker-$((6*7))\nexit 3\n');
      assert.match(r.out, /marker-42/, r.out);
      assert.match(r.out, /\/dev\/pts\/\d+/, r.out);
      assert.equal(r.code, 3, r.out);
    });
  }

  test('kubectl cp round-trips a 3 MB random file unchanged', async () => {
    const s = server();
    const blob = randomBytes(3 * 1024 * 1024);
    const src = path.join(s.workDir, 'blob.bin');
    const back = path.join(s.workDir, 'blob.back');
    writeFileSync(src, blob);
    await kc(s, ['cp', src, 'web-b:/tmp/blob.bin'], { timeoutMs: 60_000 });
    assert.equal((await kc(s, ['exec', 'web-b', '--', 'wc', '-c', '/tmp/blob.bin'])).trim(), `${blob.length} /tmp/blob.bin`);
    await kc(s, ['cp', 'web-b:/tmp/blob.bin', back], { timeoutMs: 60_000 });
    assert.ok(readFileSync(back).equals(blob), 'the copy back is byte-identical');
  });

  for (const version of ['1.27', '1.33'] as KubectlVersion[]) {
    test(`kubectl ${version} port-forward carries an HTTP request to the pod`, async () => {
      const s = server();
      const port = await freeLocalPort();
      const pf = s.kubectlBackground(['port-forward', '--address', '127.0.0.1', 'pod/web-a', `${port}:80`], { version });
      try {
        await waitFor(() => pf.stdout().includes('Forwarding from'), { what: `port-forward ready (${pf.stderr()})`, timeoutMs: 15_000 });
        const r = await httpGet(`http://127.0.0.1:${port}/`);
        assert.deepEqual([r.status, r.body], [200, 'hello from web-a\n']);
        const again = await httpGet(`http://127.0.0.1:${port}/index.html`);
        assert.equal(again.status, 200);
      } finally {
        await pf.stop();
      }
    });
  }

  test('an httpGet readiness probe flips Ready when the served file is moved away and back', async () => {
    const s = server();
    await apply(s, `apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: web
    image: python:3
    command: [sh, -c, 'mkdir -p /www && echo ok > /www/ready.html && exec python3 -m http.server 80 --directory /www']
    readinessProbe:
      httpGet: {path: /ready.html, port: 80}
      periodSeconds: 1
      failureThreshold: 1
      successThreshold: 1
`);
    await waitReady(s, 'probed');
    await kc(s, ['exec', 'probed', '--', 'mv', '/www/ready.html', '/www/away.html']);
    const down = await waitPod(s, 'probed', (p) => condition(p, 'Ready') === 'False', 'Ready=False', 15_000);
    assert.equal(down.status.phase, 'Running');
    assert.equal(down.status.containerStatuses[0].ready, false);
    assert.equal(condition(down, 'ContainersReady'), 'False');
    await kc(s, ['exec', 'probed', '--', 'mv', '/www/away.html', '/www/ready.html']);
    const up = await waitPod(s, 'probed', isReady, 'Ready=True again', 15_000);
    assert.equal(up.status.containerStatuses[0].ready, true);
    assert.equal(up.status.containerStatuses[0].restartCount, 0, 'readiness never restarts');
  });

  test('an init container runs to completion before the main one (Init:0/1, then Running)', async () => {
    const s = server();
    await apply(s, `apiVersion: v1
kind: Pod
metadata: {name: initdemo}
spec:
  initContainers:
  - name: setup
    image: busybox
    command: [sh, -c, 'sleep 3; echo init-done >> /work/order']
    volumeMounts: [{name: w, mountPath: /work}]
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'cat /work/order; echo main-started >> /work/order; exec sleep 100000']
    volumeMounts: [{name: w, mountPath: /work}]
  volumes: [{name: w, emptyDir: {}}]
`);
    // What `kubectl get pods` shows, sampled until the pod runs.
    const shown: string[] = [];
    await waitFor(async () => {
      const status = (await kc(s, ['get', 'pod', 'initdemo', '--no-headers'])).trim().split(/\s+/)[2]!;
      if (shown[shown.length - 1] !== status) shown.push(status);
      return status === 'Running';
    }, { what: 'initdemo Running', timeoutMs: 30_000, intervalMs: 100 });
    const init = shown.indexOf('Init:0/1');
    assert.ok(init >= 0, `Init:0/1 shown: ${shown.join(' ')}`);
    assert.ok(shown.indexOf('Running') > init, `Running after Init:0/1: ${shown.join(' ')}`);
    const p = await waitReady(s, 'initdemo');
    const done = p.status.initContainerStatuses[0].state.terminated;
    assert.deepEqual([done.reason, done.exitCode], ['Completed', 0]);
    const mainStart = Date.parse(p.status.containerStatuses[0].state.running.startedAt);
    assert.ok(mainStart >= Date.parse(done.finishedAt), `main started ${mainStart} before init finished ${done.finishedAt}`);
    assert.equal(await kc(s, ['logs', 'initdemo']), 'init-done\n', "the main container saw the init container's file");
    assert.equal(await kc(s, ['exec', 'initdemo', '--', 'cat', '/work/order']), 'init-done\nmain-started\n');
  });

  test('a crashing container goes through CrashLoopBackOff with growing restart counts', async () => {
    const s = server();
    const seen = crashSeen;
    await diagnosed(s, waitFor(() => seen.some((x) => x.count >= 4 && x.reason === 'CrashLoopBackOff'), {
      what: 'restartCount 4 in CrashLoopBackOff', timeoutMs: 40_000,
    }), 'crasher', () => JSON.stringify(seen));
    const counts = seen.map((x) => x.count);
    assert.deepEqual([...counts].sort((a, b) => a - b), counts, `restart counts never go down: ${counts.join(' ')}`);
    assert.ok(new Set(counts).size >= 2, `the count grew while watched: ${counts.join(' ')}`);
    const p = await getPod(s, 'crasher');
    const cs = p.status.containerStatuses[0];
    assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [1, 'Error']);
    assert.match(cs.state.waiting.message, /^back-off \d+s restarting failed container=c pod=crasher_default\(/);
    // The back-off doubles (base 1 s here): the wait before restart 4 is longer than before restart 2.
    const firstAt = (n: number) => seen.find((x) => x.count === n)?.at;
    const [r1, r2, r3, r4] = [1, 2, 3, 4].map(firstAt);
    if (r1 && r2 && r3 && r4) assert.ok(r4 - r3 > r2 - r1, `back-off grows: ${r2 - r1} ms, then ${r4 - r3} ms`);
    assert.match(await kc(s, ['get', 'pod', 'crasher', '--no-headers']), /^crasher\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+/);
    assert.equal(await kc(s, ['logs', 'crasher', '--previous']), 'crashing\n');
  });

  test('a process that ignores SIGTERM is killed after the grace period', async () => {
    const s = server();
    await apply(s, `apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'trap "" TERM; echo trapped; while :; do sleep 1; done']
`);
    await waitReady(s, 'stubborn');
    await waitFor(async () => (await kc(s, ['logs', 'stubborn'])).includes('trapped'), { what: 'trap installed' });
    const t0 = Date.now();
    await kc(s, ['delete', 'pod', 'stubborn', '--wait=false']);
    await waitFor(async () => (await getPod(s, 'stubborn')) === undefined, { what: 'stubborn removed', timeoutMs: 30_000, intervalMs: 50 });
    const took = Date.now() - t0;
    // The grace period is counted from the deletion the API server records, after t0.
    assert.ok(took >= 2000, `removed after ${took} ms, before the 2 s grace period`);
    assert.ok(took < 10_000, `removed after ${took} ms, well after the 2 s grace period`);
  });

  test('hostNetwork: true is refused with Forbidden', async () => {
    const r = await server().kubectl(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  containers: [{name: c, image: busybox, command: [sleep, '1000']}]
`,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\).*hostNetwork/);
    assert.equal(await getPod(server(), 'hostnet'), undefined);
  });

  test('a clean shutdown leaves nothing of the instance on the host', async () => {
    const s = server();
    assert.notDeepEqual(await leftovers(s.dataDir, [podCidr, serviceCidr]), [], 'the check sees a running instance');
    assert.equal(await s.stop(), 0, s.logs());
    assert.deepEqual(await leftovers(s.dataDir, [podCidr, serviceCidr]), []);
  });
});

/**
 * Runs kubectl under a pseudo-terminal (util-linux `script`), typing `input` on its stdin.
 * `script -e` exits with kubectl's own exit code.
 */
async function underPty(version: KubectlVersion, args: string[], input: string): Promise<{ code: number | null; out: string }> {
  const s = server();
  const root = path.dirname(s.dataDir);
  const cmd = [kubectlBinary(version), '--kubeconfig', s.kubeconfig, '--cache-dir', path.join(root, `kube-cache-${version}`), ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: path.join(root, 'home'), TERM: 'dumb' };
  delete env.KUBECONFIG;
  const proc = spawn('script', ['-qec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  trackProcess(proc);
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stdin.end(input);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((r) => proc.once('close', (c) => r(c)));
  clearTimeout(timer);
  return { code, out };
}

/** Adds what kubectl says about the pod (and the node's events) to a failure. */
async function diagnosed<T>(s: TestServer, p: Promise<T>, pod: string, more: () => string = () => ''): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const pods = await s.kubectl(['get', 'pods', '-o', 'wide']);
    const desc = await s.kubectl(['describe', 'pod', pod]);
    const json = await s.kubectl(['get', 'pod', pod, '-o', 'json']);
    throw new Error(`${(err as Error).message}\n${more()}\n${pods.stdout}\n${desc.stdout}${desc.stderr}\n${json.stdout}`);
  }
}
