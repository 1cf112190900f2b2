// StatefulSet catalogue rows that need a node that really runs pods (the process runtime):
// R4, a Failed pod is deleted and recreated with a new UID, and R10's e2e half, a Pending pod
// whose PVC was deleted gets it back and becomes Ready (research/upstream-statefulset.md §14.2).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pickFreeRanges } from '../../node/network/host-support.js';
import type { WatchEvent, WatchStream } from '../../support/api-client.js';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { apply, condition, getPod, isReady, kc, leftovers, rootSkip, waitPod, waitReady, type J } from './support.js';

let s: TestServer | undefined;
let cidrs: string[] = [];
const server = (): TestServer => {
  if (!s) throw new Error('no server');
  return s;
};

const sts = (name: string, extra = '', mounts = '') => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  clusterIP: None
  selector: {app: ${name}}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox
        command: [sh, -c, 'echo "The host is $(hostname)" >> /data/h 2>/dev/null; exec sleep 100000']
${mounts}${extra}`;

describe('StatefulSet rows on a real node', { skip: rootSkip }, () => {
  before(async () => {
    cidrs = await pickFreeRanges(2);
    s = await startServer({ runtime: 'process', podCidr: cidrs[0], serviceCidr: cidrs[1] });
  });
  after(async () => {
    await s?.dispose();
  });

  test('R4: a Failed pod of a StatefulSet is deleted and recreated with a new UID, repeatedly', async () => {
    // Upstream fails the pod with a hostPort conflict, which the kubelet's admission rejects.
    // Pods here live in their own network namespaces and this agent has no host ports to
    // conflict over, so the test plays the part of the kubelet's eviction manager instead: it
    // writes phase Failed, reason Evicted through pods/status, exactly the status an evicted
    // pod gets. From there everything is real: the agent keeps the terminal phase (upstream
    // refuses to leave it) and stops the pod's processes, the StatefulSet controller deletes
    // the pod and creates a new one, which the agent runs.
    const s = server();
    await apply(s, sts('evict'));
    let pod = await waitReady(s, 'evict-0');
    const events: WatchEvent[] = [];
    const watch: WatchStream = await s.api().watch(`/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Devict&resourceVersion=${pod.metadata.resourceVersion}`, {}, (e) => events.push(e));
    try {
      const uids = [pod.metadata.uid as string];
      for (let round = 0; round < 2; round++) {
        const evicted = structuredClone(pod);
        evicted.status = { ...pod.status, phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory (test).' };
        const put = await s.api().put(`/api/v1/namespaces/default/pods/evict-0/status`, evicted);
        assert.equal(put.status, 200, put.text);
        const old = uids[uids.length - 1];
        await waitFor(() => events.some((e) => e.type === 'DELETED' && e.object.metadata.uid === old), { what: `evict-0 ${old} deleted`, timeoutMs: 20_000 });
        pod = await waitPod(s, 'evict-0', (p) => p.metadata.uid !== old && isReady(p), 'recreated and Ready', 30_000);
        assert.ok(!uids.includes(pod.metadata.uid), 'a new UID');
        uids.push(pod.metadata.uid);
      }
      const failedSeen = events.filter((e) => e.object.status?.phase === 'Failed').map((e) => e.object.metadata.uid);
      assert.deepEqual([...new Set(failedSeen)], uids.slice(0, 2), 'only the evicted pods were ever Failed');
      // The agent kept the terminal phase until the pod was deleted: no Failed -> Running.
      for (const uid of uids.slice(0, 2)) {
        const phases = events.filter((e) => e.object.metadata.uid === uid).map((e) => e.object.status?.phase);
        const firstFailed = phases.indexOf('Failed');
        assert.ok(phases.slice(firstFailed).every((p) => p === 'Failed'), `phases of ${uid}: ${phases.join(' ')}`);
      }
    } finally {
      watch.close();
    }
    await kc(s, ['delete', 'sts', 'evict', '--wait=false']);
  });

  test("R10: a Pending pod whose PVC was deleted gets it back, and becomes Ready on the node", async () => {
    // As the upstream e2e: the pod runs, the node is cordoned and the pod deleted, so that its
    // replacement stays Pending (unschedulable); its PVC, no longer used by a scheduled pod,
    // is deleted; the controller recreates the claim, and once the node is uncordoned the
    // pod is scheduled, the new claim is provisioned and bound, and the pod becomes Ready.
    const s = server();
    const node = (await kc(s, ['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    assert.ok(node);
    const claims = `  volumeClaimTemplates:
  - metadata: {name: datadir}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;
    await apply(s, sts('keep', claims, '        volumeMounts: [{name: datadir, mountPath: /data}]\n'));
    const first = await waitReady(s, 'keep-0', 45_000);
    const claimPath = '/api/v1/namespaces/default/persistentvolumeclaims/datadir-keep-0';
    const oldClaim = (await s.api().get(claimPath)).json as J;
    assert.equal(oldClaim.status.phase, 'Bound');
    assert.equal(await kc(s, ['exec', 'keep-0', '--', 'cat', '/data/h']), 'The host is keep-0\n');
    try {
      await kc(s, ['cordon', node]);
      await kc(s, ['delete', 'pod', 'keep-0', '--wait=false']);
      const pending = await waitPod(s, 'keep-0', (p) => p.metadata.uid !== first.metadata.uid && condition(p, 'PodScheduled') === 'False', 'replacement Pending and unschedulable');
      assert.equal(pending.status.phase, 'Pending');
      assert.equal(pending.spec.nodeName, undefined);
      await kc(s, ['delete', 'pvc', 'datadir-keep-0', '--wait=false']);
      const recreated = await waitFor(async () => {
        const r = await s.api().get(claimPath);
        return r.status === 200 && r.json.metadata.uid !== oldClaim.metadata.uid ? (r.json as J) : undefined;
      }, { what: 'datadir-keep-0 recreated with a new UID', timeoutMs: 30_000 });
      assert.equal(recreated.metadata.labels?.app, 'keep');
      const stillPending = await getPod(s, 'keep-0');
      assert.equal(stillPending.metadata.uid, pending.metadata.uid, 'the same Pending pod');
      assert.equal(stillPending.status.phase, 'Pending');
    } finally {
      await kc(s, ['uncordon', node]);
    }
    const ready = await waitReady(s, 'keep-0', 45_000);
    assert.equal(ready.spec.nodeName, node);
    const bound = (await s.api().get(claimPath)).json as J;
    assert.equal(bound.status.phase, 'Bound');
    assert.notEqual(bound.metadata.uid, oldClaim.metadata.uid);
    assert.equal(await kc(s, ['exec', 'keep-0', '--', 'cat', '/data/h']), 'The host is keep-0\n', 'a fresh volume');
  });

  test('a clean shutdown leaves nothing of the instance on the host', async () => {
    const s = server();
    assert.equal(await s.stop(), 0, s.logs());
    assert.deepEqual(await leftovers(s.dataDir, cidrs), []);
  });
});
