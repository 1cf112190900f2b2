// The process runtime against the real kernel (root only): two pods serving HTTP on port 80
// at their own IPs, exec (hostname, tty, binary stdio, exit codes), volumes landing only in
// the host volume dir, the data dir hidden, SIGTERM-ignoring processes killed after the
// grace period, CRI logs, re-attachment by a second runtime, and no leftovers afterwards.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { cleanupNetwork, instanceIdFor, namesFor, PodNetwork } from '../../../src/node/runtime/process/network/index.js';
import { cleanupProcessRuntime, ProcessRuntime } from '../../../src/node/runtime/process/index.js';
import type { ContainerConfig, Sandbox, SandboxConfig } from '../../../src/node/runtime/types.js';
import { pickFreeRanges, pollUntil, sh } from '../network/host-support.js';

const skip = process.getuid?.() !== 0 ? 'needs root (namespaces, mounts, cgroups, a bridge)' : false;
const POD_A = '1a2b3c4d-0000-4000-8000-0000000000a1';
const POD_B = '5e6f7a8b-0000-4000-8000-0000000000b2';
const CRI_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) (F|P) (.*)$/;

function sandboxConfig(podUid: string, name: string): SandboxConfig {
  return {
    podUid,
    namespace: 'default',
    name,
    hostname: name,
    hostsFile: '127.0.0.1\tlocalhost\n',
    hostsFileFor: (ip) => `127.0.0.1\tlocalhost\n${ip}\t${name}\n`,
    resolvConf: 'nameserver 10.255.255.254\noptions ndots:5 timeout:1 attempts:1\n',
    annotations: {},
  };
}

function container(name: string, argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, argv, env: [], workingDir: '/', mounts: [], tty: false, stdin: false, stdinOnce: false, attempt: 0, ...extra };
}

async function execCapture(rt: ProcessRuntime, id: string, c: string, argv: string[], opts: { stdin?: Buffer; tty?: boolean } = {}) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (d: Buffer) => out.push(d));
  const stderr = new PassThrough().on('data', (d: Buffer) => err.push(d));
  const code = await rt.exec(id, c, argv, { stdin: opts.stdin ? Readable.from([opts.stdin]) : undefined, stdout, stderr, tty: opts.tty ?? false });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 3000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject)
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timeout'));
      });
  });
}

describe('process runtime', { skip }, () => {
  let dataDir: string;
  let volDir: string;
  let webDir: string;
  let podCIDR: string;
  let serviceCIDR: string;
  let rt: ProcessRuntime;
  let a: Sandbox;
  let b: Sandbox;
  const runtimes: ProcessRuntime[] = [];
  const logs: string[] = [];

  const newRuntime = () => {
    const r = new ProcessRuntime({ dataDir, network: new PodNetwork({ podCIDR, serviceCIDR, dataDir }), log: (l) => logs.push(l) });
    runtimes.push(r);
    return r;
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-proc-'));
    volDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-proc-vol-'));
    webDir = path.join(volDir, 'www');
    await mkdir(webDir);
    await writeFile(path.join(webDir, 'index.html'), 'hello from the volume\n');
    [podCIDR, serviceCIDR] = (await pickFreeRanges(2)) as [string, string];
    rt = newRuntime();
    await rt.start();
    a = await rt.runSandbox(sandboxConfig(POD_A, 'web-0'));
    b = await rt.runSandbox(sandboxConfig(POD_B, 'web-1'));
    const www = [{ hostPath: webDir, containerPath: '/usr/share/nginx/html', readOnly: true }];
    await rt.startContainer(a.id, container('web', ['python3', '-m', 'http.server', '80', '--directory', '/usr/share/nginx/html'], { mounts: www }));
    await rt.startContainer(b.id, container('web', ['python', '-m', 'http.server', '80'], { workingDir: '/srv' }));
  });

  after(async () => {
    for (const r of runtimes) await r.close().catch(() => undefined);
    if (dataDir) {
      await cleanupProcessRuntime(dataDir).catch(() => undefined);
      await cleanupNetwork(dataDir, { killProcesses: true }).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
    if (volDir) await rm(volDir, { recursive: true, force: true });
  });

  test('each pod serves port 80 at its own IP, reachable from the host and from the other pod', async () => {
    assert.notEqual(a.ip, b.ip);
    const fromHost = await pollUntil('pod a serving', async () => {
      const r = await httpGet(`http://${a.ip}/`).catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    });
    assert.equal(fromHost.body, 'hello from the volume\n');
    await pollUntil('pod b serving', async () => ((await httpGet(`http://${b.ip}/`).catch(() => undefined))?.status === 200 ? true : undefined));
    const fetch = `import urllib.request; print(urllib.request.urlopen("http://${b.ip}/", timeout=3).status)`;
    const r = await execCapture(rt, a.id, 'web', ['python3', '-c', fetch]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString().trim(), '200');
  });

  test('exec runs in the pod: hostname, exit codes, binary-safe stdio, a tty', async () => {
    const h = await execCapture(rt, a.id, 'web', ['hostname']);
    assert.deepEqual([h.code, h.stdout.toString()], [0, 'web-0\n']);
    assert.equal((await execCapture(rt, b.id, 'web', ['sh', '-c', 'exit 3'])).code, 3);
    assert.equal((await execCapture(rt, b.id, 'web', ['no-such-binary'])).code, 127);
    const blob = randomBytes(3 * 1024 * 1024);
    const cat = await execCapture(rt, a.id, 'web', ['cat'], { stdin: blob });
    assert.equal(cat.code, 0);
    assert.ok(cat.stdout.equals(blob), 'cat returned the 3 MB unchanged');
    const tty = await execCapture(rt, a.id, 'web', ['sh', '-c', 'tty; exit 5'], { tty: true });
    assert.equal(tty.code, 5);
    assert.match(tty.stdout.toString(), /^\/dev\/pts\/\d+\r?\n/);
    const caps = await execCapture(rt, a.id, 'web', ['grep', 'CapBnd', '/proc/self/status']);
    assert.match(caps.stdout.toString(), /CapBnd:\s+00000000a80425fb/);
  });

  test('a file written to a volume lands in the host volume dir only; the data dir is hidden', async () => {
    const data = path.join(volDir, 'data');
    await mkdir(data);
    await rt.startContainer(
      b.id,
      container('writer', ['sh', '-c', 'echo "The host is $(hostname)" >> /dir/data; ls -A /tmp /root /home /run; ls -A "$DATA" 2>&1; cat /proc/1/cmdline >/dev/null; echo done'], {
        env: [['DATA', dataDir]],
        mounts: [{ hostPath: data, containerPath: '/dir', readOnly: false }],
      }),
    );
    await pollUntil('writer exited', async () => (rt.containerState(b.id, 'writer')?.state === 'exited' ? true : undefined));
    assert.equal(readFileSync(path.join(data, 'data'), 'utf8'), 'The host is web-1\n');
    assert.equal(existsSync('/dir'), false, 'no /dir on the host');
    const log = readFileSync(rt.logPath(b.id, 'writer', 0), 'utf8');
    const text = log
      .trim()
      .split('\n')
      .map((l) => CRI_LINE.exec(l)?.[3]);
    assert.ok(!text.includes(undefined), `every line is in the CRI format:\n${log}`);
    assert.deepEqual(text.slice(-1), ['done']);
    assert.ok(!text.some((t) => t!.includes('sandboxes') || t!.includes('shim')), `nothing of the data dir is visible:\n${log}`);
    const st = rt.containerState(b.id, 'writer');
    assert.equal(st?.state === 'exited' && st.reason, 'Completed');
    const direct = await execCapture(rt, a.id, 'web', ['sh', '-c', `ls -A ${dataDir}; cat ${path.join(dataDir, 'sandboxes', POD_A, 'sandbox.json')}`]);
    assert.notEqual(direct.code, 0);
    assert.equal(direct.stdout.toString(), '');
  });

  test('logs are written in the CRI format for stdout and stderr', async () => {
    await rt.startContainer(a.id, container('talker', ['sh', '-c', 'echo to-out; echo to-err >&2; printf tail; exit 2']));
    await pollUntil('talker exited', async () => (rt.containerState(a.id, 'talker')?.state === 'exited' ? true : undefined));
    const lines = readFileSync(rt.logPath(a.id, 'talker', 0), 'utf8').trim().split('\n').map((l) => CRI_LINE.exec(l));
    assert.deepEqual(
      lines.map((m) => m && `${m[1]} ${m[2]} ${m[3]}`).sort(),
      ['stderr F to-err', 'stdout F tail', 'stdout F to-out'],
    );
    const st = rt.containerState(a.id, 'talker');
    assert.ok(st?.state === 'exited');
    assert.deepEqual([st.exitCode, st.reason], [2, 'Error']);
  });

  test('a process ignoring SIGTERM is SIGKILLed after the grace period; a plain one stops at once', async () => {
    const exits: string[] = [];
    rt.onContainerExit((e) => exits.push(`${e.sandboxId}/${e.containerName}`));
    await rt.startContainer(a.id, container('stubborn', ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']));
    await pollUntil('stubborn ready', async () => (readFileSync(rt.logPath(a.id, 'stubborn', 0), 'utf8').includes('ready') ? true : undefined));
    const t0 = Date.now();
    await rt.stopContainer(a.id, 'stubborn', 1);
    const took = Date.now() - t0;
    assert.ok(took >= 1000 && took < 5000, `stopped after ${took} ms`);
    const st = rt.containerState(a.id, 'stubborn');
    assert.ok(st?.state === 'exited');
    assert.deepEqual([st.exitCode, st.signal], [137, 9]);
    assert.ok(exits.includes(`${a.id}/stubborn`));

    await rt.startContainer(a.id, container('polite', ['sleep', '1000']));
    const t1 = Date.now();
    await rt.stopContainer(a.id, 'polite', 30);
    assert.ok(Date.now() - t1 < 3000);
    const p = rt.containerState(a.id, 'polite');
    assert.ok(p?.state === 'exited' && p.signal === 15);
  });

  test('cgroup limits: over the memory limit is OOMKilled; an unknown command fails to start', { skip: !existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') && 'no cgroup v1 memory controller' }, async () => {
    await rt.startContainer(b.id, container('hog', ['python3', '-c', 'x = bytearray(300 << 20); print("survived")'], { limits: { memoryBytes: 32 << 20, pids: 20 } }));
    await pollUntil('hog exited', async () => (rt.containerState(b.id, 'hog')?.state === 'exited' ? true : undefined));
    const st = rt.containerState(b.id, 'hog');
    assert.ok(st?.state === 'exited');
    assert.deepEqual([st.reason, st.exitCode], ['OOMKilled', 137]);
    await assert.rejects(rt.startContainer(b.id, container('typo', ['no-such-command'])), /executable file not found/);
    assert.equal(rt.containerState(b.id, 'typo'), undefined);
  });

  test('dial connects from inside the pod netns and reports refused ports', async () => {
    const conn = await rt.dial(a.id, 80);
    const reply = await new Promise<string>((resolve, reject) => {
      let got = '';
      conn.on('data', (d: Buffer) => (got += d.toString()));
      conn.on('end', () => resolve(got));
      conn.on('error', reject);
      conn.end('GET / HTTP/1.0\r\n\r\n');
    });
    assert.match(reply, /^HTTP\/1\.0 200/);
    await assert.rejects(rt.dial(a.id, 81), /refused/i);
    await assert.rejects(rt.dial(a.id, 80, 'example.com'), /not an IP/);
  });

  test('a second runtime on the same data dir re-attaches to the running sandboxes', async () => {
    // The first runtime is abandoned without close(), as after a crash of ordinal.
    const rt2 = newRuntime();
    await rt2.start();
    assert.deepEqual(rt2.listSandboxes().map((s) => s.name).sort(), ['web-0', 'web-1']);
    assert.equal(rt2.listSandboxes().find((s) => s.id === a.id)?.ip, a.ip);
    assert.equal(rt2.containerState(a.id, 'web')?.state, 'running');
    assert.equal(rt2.containerState(a.id, 'stubborn')?.state, 'exited');
    const h = await execCapture(rt2, b.id, 'web', ['hostname']);
    assert.equal(h.stdout.toString(), 'web-1\n');
    assert.equal((await httpGet(`http://${a.ip}/`)).status, 200);
    rt = rt2;
  });

  test('removeSandbox and cleanup leave no mount, netns, link, process, cgroup or directory', async () => {
    const shimPids = readdirSync(path.join(dataDir, 'sandboxes')).map(
      (uid) => (JSON.parse(readFileSync(path.join(dataDir, 'sandboxes', uid, 'sandbox.json'), 'utf8')) as { shim: { hostPid: number } }).shim.hostPid,
    );
    await rt.removeSandbox(a.id);
    assert.equal(existsSync(path.join(dataDir, 'sandboxes', POD_A)), false);
    assert.deepEqual(rt.listSandboxes().map((s) => s.id), [b.id]);
    assert.equal((await sh('ip', ['netns', 'list'])).split('\n').filter((l) => l.startsWith(namesFor(instanceIdFor(dataDir)).netnsPrefix)).length, 1);
    await rt.removeSandbox(b.id);
    for (const r of runtimes) await r.close();
    const report = await cleanupProcessRuntime(dataDir);
    assert.deepEqual(report.left, []);

    const names = namesFor(instanceIdFor(dataDir));
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(dataDir), 'no mount under the data dir');
    assert.ok(!(await sh('ip', ['netns', 'list'])).includes(names.netnsPrefix), 'no netns');
    const links = JSON.parse(await sh('ip', ['-j', 'link', 'show'])) as { ifname: string }[];
    assert.ok(!links.some((l) => l.ifname === names.bridge || l.ifname.startsWith(names.vethPrefix)), 'no link');
    for (const pid of shimPids) assert.equal(existsSync(`/proc/${pid}`), false, `shim ${pid} is gone`);
    assert.ok(!(await sh('ps', ['-eo', 'args'])).includes(dataDir), 'no process mentions the data dir');
    assert.equal(existsSync(path.join(dataDir, 'sandboxes')), false);
    const cgroupRoot = `ordinal-${names.instanceId}`;
    const cg = await sh('find', ['/sys/fs/cgroup/', '-maxdepth', '4', '-name', cgroupRoot]).catch(() => '');
    assert.equal(cg.trim(), '', 'no cgroup');
  });
});

