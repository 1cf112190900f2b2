// The pod network against the real kernel: bridge, routes, netns, veths, nft, cleanup.
// Every test instance gets its own random ranges and data dir; the after hook removes
// whatever the instance created, also when a test failed half-way.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cleanupNetwork,
  instanceIdFor,
  isUnroutable,
  namesFor,
  nftAvailable,
  PodNetwork,
  ROUTE_PROTOCOL,
  routeGet,
} from '../../../src/node/runtime/process/network/index.js';
import { connectFromPod, fetchFromPod, pickFreeRanges, pollUntil, rootSkipReason, sh, startPodHttpServer } from './host-support.js';

const skip = rootSkipReason();
const haveNft = await nftAvailable();
const POD_A = '0a1b2c3d-0000-4000-8000-00000000000a';
const POD_B = '9f8e7d6c-0000-4000-8000-00000000000b';

/** What of an instance is visible on the host right now (empty lists when nothing is left). */
async function leftovers(dataDir: string): Promise<string[]> {
  const n = namesFor(instanceIdFor(dataDir));
  const found: string[] = [];
  const links = JSON.parse(await sh('ip', ['-j', 'link', 'show'])) as { ifname: string }[];
  for (const l of links) if (l.ifname === n.bridge || l.ifname.startsWith(n.vethPrefix)) found.push(`link ${l.ifname}`);
  for (const ns of (await sh('ip', ['netns', 'list'])).split('\n')) if (ns.startsWith(n.netnsPrefix)) found.push(`netns ${ns}`);
  const routes = JSON.parse(await sh('ip', ['-j', 'route', 'show', 'table', 'all'])) as { dst: string; dev?: string; protocol?: string; metric?: number }[];
  for (const r of routes) {
    if (r.dev === n.bridge || (r.protocol === String(ROUTE_PROTOCOL) && r.metric === n.routeMetric)) found.push(`route ${r.dst}`);
  }
  if (await nftAvailable()) {
    if ((await sh('nft', ['list', 'tables'])).includes(n.nftTable)) found.push(`nft ${n.nftTable}`);
  }
  return found;
}

describe('pod network on the host', { skip }, () => {
  let dataDir: string;
  let webRoot: string;
  let podCIDR: string;
  let serviceCIDR: string;
  let prefix: string; // "10.X." of the pod range
  let net: PodNetwork;
  const servers: ChildProcess[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-net-'));
    webRoot = await mkdtemp(path.join(os.tmpdir(), 'ordinal-net-web-'));
    await writeFile(path.join(webRoot, 'index.html'), 'hello from pod a\n');
    [podCIDR, serviceCIDR] = await pickFreeRanges(2) as [string, string];
    prefix = podCIDR.split('.').slice(0, 2).join('.') + '.';
    net = new PodNetwork({ podCIDR, serviceCIDR, dataDir });
    await net.setUp();
  });

  after(async () => {
    for (const s of servers) s.kill('SIGKILL');
    if (dataDir) await cleanupNetwork(dataDir, { killProcesses: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  test('addresses in the covered ranges but not on the bridge are unreachable on the host', async () => {
    const outside = await routeGet(`${prefix}77.9`);
    assert.ok(isUnroutable(outside), outside);
    const clusterIp = await routeGet(serviceCIDR.replace(/0\/16$/, '123'));
    assert.ok(isUnroutable(clusterIp), clusterIp);
    const onBridge = await routeGet(`${prefix}0.200`);
    assert.match(onBridge, new RegExp(`dev ${net.bridgeName}\\b`));
    assert.equal(net.bridgeAddress, `${prefix}0.1`);
  });

  test('two attached pods get their own IPs on eth0 and no default route', async () => {
    const a = await net.attachPod(POD_A);
    const b = await net.attachPod(POD_B);
    assert.notEqual(a.ip, b.ip);
    assert.equal(a.netnsPath, `/run/netns/${a.netnsName}`);
    for (const p of [a, b]) {
      const addrs = await sh('ip', ['netns', 'exec', p.netnsName, 'ip', '-4', '-o', 'addr', 'show']);
      assert.match(addrs, new RegExp(`eth0\\s+inet ${p.ip.replace(/\./g, '\\.')}/24`));
      const routes = JSON.parse(await sh('ip', ['-n', p.netnsName, '-j', '-4', 'route', 'show', 'table', 'all'])) as { dst: string; gateway?: string }[];
      assert.ok(!routes.some((r) => r.dst === 'default'), JSON.stringify(routes));
      assert.ok(routes.some((r) => r.dst === podCIDR && r.gateway === net.bridgeAddress));
      assert.ok(routes.some((r) => r.dst === serviceCIDR && r.gateway === net.bridgeAddress));
      // With no default route, anything beyond our ranges has no route at all (no packet is sent).
      const beyond = await sh('ip', ['netns', 'exec', p.netnsName, 'sh', '-c', 'ip route get 192.0.2.1 2>&1 || true']);
      assert.match(beyond, /unreachable/i);
    }
    assert.deepEqual(net.attachment(POD_A), a);
  });

  test('pods reach each other and the host reaches a pod, over our bridge', async () => {
    const a = net.attachment(POD_A)!;
    const b = net.attachment(POD_B)!;
    const port = 20000 + Math.floor(Math.random() * 20000);
    servers.push(startPodHttpServer(a.netnsName, a.ip, port, webRoot));
    const body = await pollUntil('pod b to fetch from pod a', async () => {
      const r = await fetchFromPod(b.netnsName, `http://${a.ip}:${port}/`);
      return r.code === 0 ? r.stdout : undefined;
    });
    assert.equal(body.trim(), 'hello from pod a');
    const fromHost = await new Promise<string>((resolve, reject) => {
      http.get({ host: a.ip, port, path: '/', timeout: 2000 }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(fromHost.trim(), 'hello from pod a');
    // A pod-range address off the bridge goes nowhere: the host answers it is unreachable.
    assert.notEqual(await connectFromPod(b.netnsName, `${prefix}200.9`, port), 'connected');
  });

  test('the bridge address is guarded by the nft table', { skip: !haveNft && 'nft not installed' }, async () => {
    const table = await sh('nft', ['list', 'table', 'inet', net.names.nftTable]);
    assert.match(table, new RegExp(`ip daddr ${net.bridgeAddress.replace(/\./g, '\\.')} iifname != \\{ .*"${net.bridgeName}".* \\} drop`));
    assert.doesNotMatch(table, /nat|masquerade/);
  });

  test('a restart re-attaches the recorded pods with the same addresses', async () => {
    const before = net.listAttachments();
    const again = new PodNetwork({ podCIDR, serviceCIDR, dataDir });
    await again.setUp();
    assert.deepEqual(again.listAttachments(), before);
    assert.deepEqual(await again.attachPod(POD_A), net.attachment(POD_A));
    net = again;
  });

  test('overlapping ranges are refused with the route they collide with', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-net-other-'));
    try {
      const [freeService] = await pickFreeRanges(1) as [string];
      const clash = new PodNetwork({ podCIDR: podCIDR.replace(/\/16$/, '/17'), serviceCIDR: freeService, dataDir: otherDir });
      await assert.rejects(clash.setUp(), (err: Error) => {
        assert.match(err.message, /overlap/);
        assert.match(err.message, new RegExp(`unreachable ${podCIDR.replace(/\./g, '\\.')}`));
        return true;
      });
      assert.deepEqual(await leftovers(otherDir), [], 'a refused set-up creates nothing');
    } finally {
      await cleanupNetwork(otherDir);
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  test('detaching a pod removes its veth and netns and frees its IP', async () => {
    const a = net.attachment(POD_A)!;
    for (const s of servers.splice(0)) s.kill('SIGKILL');
    await net.detachPod(POD_A);
    assert.equal(net.attachment(POD_A), undefined);
    assert.ok(!(await sh('ip', ['netns', 'list'])).includes(a.netnsName));
    const links = JSON.parse(await sh('ip', ['-j', 'link', 'show'])) as { ifname: string }[];
    assert.ok(!links.some((l) => l.ifname === a.hostVeth));
    const again = await net.attachPod(POD_A, a.ip);
    assert.equal(again.ip, a.ip, 'the released IP can be requested again');
  });

  test('tearDown leaves no netns, link, route or nft table', async () => {
    assert.notDeepEqual(await leftovers(dataDir), []);
    await net.tearDown();
    assert.deepEqual(await leftovers(dataDir), []);
  });
});

describe('cleanup after a crash', { skip }, () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordinal-net-crash-'));
  });
  after(async () => {
    if (dataDir) await cleanupNetwork(dataDir, { killProcesses: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  test('cleanupNetwork removes everything an instance left behind', async () => {
    const [podCIDR, serviceCIDR] = await pickFreeRanges(2) as [string, string];
    const net = new PodNetwork({ podCIDR, serviceCIDR, dataDir });
    await net.setUp();
    await net.attachPod(POD_A);
    await net.attachPod(POD_B);
    // No tearDown: as if the process had been killed. A fresh cleanup finds it all.
    const found = await leftovers(dataDir);
    assert.ok(found.length >= 7, found.join(', '));
    // A restart that keeps only pod B: pod A's netns and veth go, B stays attached.
    const restarted = new PodNetwork({ podCIDR, serviceCIDR, dataDir });
    await restarted.setUp();
    const a = restarted.attachment(POD_A)!;
    assert.deepEqual(await restarted.pruneExcept([POD_B]), [POD_A]);
    assert.ok(!(await sh('ip', ['netns', 'list'])).includes(a.netnsName));
    assert.ok(restarted.attachment(POD_B));
    const report = await cleanupNetwork(dataDir);
    assert.equal(report.netns.length, 1);
    assert.equal(report.links.length, 2);
    assert.equal(report.routes.length, 2);
    assert.equal(report.stateFileRemoved, true);
    assert.deepEqual(await leftovers(dataDir), []);
  });
});
