// kill -9 of `ordinal up`, a restart and a clean shutdown (SIGTERM): the pods outlive the crash
// (their shims, not ordinal, hold them), the restarted agent re-attaches to them, and after
// the shutdown nothing of the instance is left on the host: no network namespace, link,
// route, mount, overlay directory, cgroup, nftables table or process.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pickFreeRanges } from '../../node/network/host-support.js';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { apply, httpGet, kc, leftovers, rootSkip, routeGet, waitReady } from './support.js';

let s: TestServer | undefined;
let cidrs: string[] = [];
const server = (): TestServer => {
  if (!s) throw new Error('no server');
  return s;
};

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: survivor}
spec:
  containers:
  - name: web
    image: python:3
    command: [sh, -c, 'mkdir -p /www && echo alive > /www/index.html && exec python3 -m http.server 80 --directory /www']
  - name: ticker
    image: busybox
    command: [sh, -c, 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done']
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  volumes: [{name: scratch, emptyDir: {}}]
`;

describe('kill -9, restart, shutdown', { skip: rootSkip }, () => {
  before(async () => {
    cidrs = await pickFreeRanges(2);
    s = await startServer({ runtime: 'process', podCidr: cidrs[0], serviceCidr: cidrs[1] });
  });
  after(async () => {
    await s?.dispose();
  });

  test('pods survive kill -9 of ordinal; the restarted agent re-attaches; a shutdown leaves nothing', async () => {
    const s = server();
    await apply(s, PODS);
    const before = await waitReady(s, 'survivor');
    const ip = before.status.podIP as string;
    // Ready once the process runs (no probe): the server may take a moment to listen.
    const first = await waitFor(() => httpGet(`http://${ip}/`), { what: `GET ${ip}`, timeoutMs: 15_000 });
    assert.equal(first.body, 'alive\n');
    assert.notDeepEqual(await leftovers(s.dataDir, cidrs), [], 'a running instance is seen by the check');

    await s.kill9();
    // ordinal is gone; the pod still serves and its CIDRs are still covered.
    assert.equal((await httpGet(`http://${ip}/`)).body, 'alive\n', 'the pod outlives ordinal');
    const [a, b] = cidrs[0]!.split('.');
    assert.match(await routeGet(`${a}.${b}.200.9`), /unreachable|blackhole|No route to host/i);

    await s.restart();
    const after = await waitReady(s, 'survivor');
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.equal(after.status.podIP, ip, 'the same sandbox, the same IP');
    for (const cs of after.status.containerStatuses) {
      assert.equal(cs.restartCount, 0, `${cs.name} was re-attached, not restarted`);
      const was = before.status.containerStatuses.find((x: { name: string }) => x.name === cs.name);
      assert.equal(cs.containerID, was.containerID, `${cs.name}: the same container`);
    }
    assert.equal(await kc(s, ['exec', 'survivor', '-c', 'ticker', '--', 'hostname']), 'survivor\n');
    // The log kept growing through the crash and is still followed after it.
    const ticks = async () => Number(/tick (\d+)\n$/.exec(await kc(s, ['logs', 'survivor', '-c', 'ticker', '--tail', '1']))?.[1] ?? 0);
    const n = await ticks();
    await waitFor(async () => (await ticks()) > n, { what: 'ticker still ticking' });
    assert.equal((await httpGet(`http://${ip}/`)).body, 'alive\n');

    assert.equal(await s.stop(), 0, s.logs());
    assert.deepEqual(await leftovers(s.dataDir, cidrs), []);
  });
});
