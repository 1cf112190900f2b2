// Node registration and heartbeats; volumes that wait for their claim; a clean agent restart
// bringing pods back with raised restart counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../support/wait.js';
import { makeTempDir, removeTempDir } from '../../support/temp.js';
import { mustFindResource } from '../../../src/api/resources.js';
import { condition, LEASES, NODE, NODES, pod, podEvents, PODS, PVCS, PVS, startHarness, waitPod, type AgentHarness, type J } from './agent-fixture.js';

const CONFIGMAPS = mustFindResource('', 'configmaps');
let h: AgentHarness;
before(async () => {
  h = await startHarness({ heartbeat: { leaseRenewMs: 100, statusUpdateMs: 100, statusReportMs: 300 } });
});
after(async () => {
  await h.close();
});

describe('node agent: node, lease, volumes, restart', () => {
  it('registers a Ready Node with capacity, addresses, nodeInfo and the streaming port', async () => {
    const node = (await h.cluster.client.get(NODES, undefined, NODE)) as J;
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], NODE);
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.ok(node.metadata.labels['kubernetes.io/arch']);
    assert.equal(node.status.capacity.pods, '110');
    assert.match(node.status.capacity.cpu, /^\d+$/);
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.ok(node.status.allocatable.memory);
    const ready = node.status.conditions.find((c: J) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
    assert.deepEqual(node.status.conditions.map((c: J) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    assert.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: NODE }]);
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.33.0');
    assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'ordinal-simulated://0.1.0');
    assert.equal(node.status.nodeInfo.operatingSystem, 'linux');
  });

  it('keeps a Lease in kube-node-lease and renews it; status heartbeats advance', async () => {
    const first = (await h.cluster.client.get(LEASES, 'kube-node-lease', NODE)) as J;
    assert.equal(first.spec.holderIdentity, NODE);
    assert.equal(first.spec.leaseDurationSeconds, 40);
    assert.match(first.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(first.metadata.ownerReferences[0].kind, 'Node');
    await waitFor(async () => ((await h.cluster.client.get(LEASES, 'kube-node-lease', NODE)) as J).spec.renewTime !== first.spec.renewTime, { what: 'lease renewal' });
    const hb = (n: J) => n.status.conditions.find((c: J) => c.type === 'Ready').lastHeartbeatTime;
    const n1 = (await h.cluster.client.get(NODES, undefined, NODE)) as J;
    await waitFor(async () => hb((await h.cluster.client.get(NODES, undefined, NODE)) as J) !== hb(n1), { what: 'node status heartbeat', timeoutMs: 5000 });
  });

  it('a pod whose claim is not bound waits in ContainerCreating with FailedMount, then runs once bound', async () => {
    const dir = makeTempDir('ordinal-pv-');
    try {
      await h.cluster.client.create(PVCS, 'default', {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
      } as never);
      await h.cluster.client.create(PODS, 'default', pod('claimer', {
        containers: [{ name: 'app', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }],
        volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'data' } }],
      }) as never);
      const waiting = await waitPod(h, 'claimer', (p) => p.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating', 'claimer ContainerCreating');
      assert.equal(waiting.status.phase, 'Pending');
      assert.equal(condition(waiting, 'PodReadyToStartContainers')?.status, 'False');
      const ev = await waitFor(async () => (await podEvents(h, 'claimer')).find((e) => e.reason === 'FailedMount'));
      assert.match(ev.message, /unmounted volumes=\[www\].*PVC is not bound/);
      assert.equal(ev.type, 'Warning');
      // Bind it by hand, as the binder would.
      await h.cluster.client.create(PVS, undefined, {
        apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-data' },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: dir }, storageClassName: '', claimRef: { namespace: 'default', name: 'data' } },
      } as never);
      const pvc = (await h.cluster.client.get(PVCS, 'default', 'data')) as J;
      const bound = (await h.cluster.client.update(PVCS, 'default', { ...pvc, spec: { ...pvc.spec, volumeName: 'pv-data' } } as never)) as J;
      await h.cluster.client.updateStatus(PVCS, 'default', { ...bound, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } } as never);
      const running = await waitPod(h, 'claimer', (p) => p.status.phase === 'Running', 'claimer Running');
      assert.equal(condition(running, 'PodReadyToStartContainers')?.status, 'True');
    } finally {
      removeTempDir(dir);
    }
  });

  it('a clean stop removes every sandbox; the next start brings pods back with restartCount raised', async () => {
    await h.cluster.client.create(PODS, 'default', pod('survivor') as never);
    const before = await waitPod(h, 'survivor', (p) => p.status.phase === 'Running' && p.status.containerStatuses[0].ready);
    assert.equal(before.status.containerStatuses[0].restartCount, 0);
    const uid = before.metadata.uid;
    const oldRuntime = h.runtime;
    await h.restart();
    assert.equal(oldRuntime.listSandboxes().length, 0);
    const after = await waitPod(h, 'survivor', (p) => p.status.containerStatuses[0].restartCount === 1 && p.status.containerStatuses[0].ready, 'survivor back with restartCount 1');
    assert.equal(after.metadata.uid, uid);
    assert.equal(after.status.phase, 'Running');
    assert.ok(h.runtime.listSandboxes().some((s) => s.podUid === uid));
    assert.equal(after.status.podIP, h.runtime.listSandboxes().find((s) => s.podUid === uid)!.ip);
  });

  it('writes emptyDir, configMap and downward API volumes and the hosts file under the pod directory', async () => {
    await h.cluster.client.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'a.conf': 'A' } } as never);
    await h.cluster.client.create(PODS, 'default', pod('files', {
      hostname: 'files', subdomain: 'svc',
      containers: [{ name: 'app', image: 'nginx' }],
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }] } },
      ],
    }) as never);
    const p = await waitPod(h, 'files', (p) => p.status.phase === 'Running');
    const podDir = path.join(h.dataDir, 'pods', p.metadata.uid);
    assert.ok(fs.statSync(path.join(podDir, 'volumes', 'scratch')).isDirectory());
    assert.equal(fs.readFileSync(path.join(podDir, 'volumes', 'cfg', 'a.conf'), 'utf8'), 'A');
    assert.equal(fs.readFileSync(path.join(podDir, 'volumes', 'info', 'name'), 'utf8'), 'files');
    assert.equal(fs.readFileSync(path.join(podDir, 'volumes', 'info', 'ip'), 'utf8'), p.status.podIP);
    const hosts = fs.readFileSync(path.join(podDir, 'etc-hosts'), 'utf8');
    assert.ok(hosts.endsWith(`${p.status.podIP}\tfiles.svc.default.svc.cluster.local\tfiles\n`), hosts);
    await h.cluster.client.delete(PODS, 'default', 'files');
    await waitFor(() => !fs.existsSync(podDir), { what: 'pod directory removed after deletion' });
  });
});

