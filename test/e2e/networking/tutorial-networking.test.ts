// Issue 6 with real processes: the tutorial's headless Service `examplestatefulservice` and
// StatefulSet `examplestatefulset` (copied from the tutorial into fixtures/), the tutorial's
// test pod `examplepodforheadlessservice`, and `nslookup`, `getent` and `curl` run inside
// pods with `kubectl exec`; `dig` against the host's DNS port; ClusterIP Services reached
// through the DNAT rules in each pod's own netns; the `kubernetes` Service over TLS.
//
// Beside the tutorial's objects: `srvweb`, a 3-replica set behind a headless Service whose
// port is named `web` (SRV) and a twin Service with publishNotReadyAddresses, whose pods are
// Ready unless the file /notready exists; a ClusterIP Service in front of the tutorial's
// pods; a ClusterIP Service with no endpoints; and a pod that mounts the cluster CA.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { pickFreeRanges, rootSkipReason } from '../../node/network/host-support.js';
import {
  dig,
  digIPs,
  fixture,
  getentIPs,
  hostDnsPort,
  inPod,
  k,
  kjson,
  mustInPod,
  nslookupAddresses,
  nslookupIPs,
  nslookupNames,
  nslookupSrv,
  podInfo,
  waitPodReady,
  waitReadyReplicas,
  type PodInfo,
} from './support.js';

const skip = rootSkipReason();
let server: TestServer;
let dnsPort: number;

const STS = 'examplestatefulset';
const SVC = 'examplestatefulservice';
const CLIENT = 'examplepodforheadlessservice';
const CA_CLIENT = 'cafqdn';
const ZONE = 'default.svc.cluster.local';
const svcFqdn = `${SVC}.${ZONE}`;
const podFqdn = (i: number) => `${STS}-${i}.${SVC}.${ZONE}`;
const page = (i: number) => `<p>The host is ${STS}-${i}</p>`;

const EXTRA = `
apiVersion: v1
kind: Service
metadata: {name: srvweb}
spec:
  clusterIP: None
  selector: {app: srvweb}
  ports: [{name: web, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: srvweb-all}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: srvweb}
  ports: [{name: web, port: 80, protocol: TCP}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: srvweb}
spec:
  replicas: 3
  serviceName: srvweb
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: srvweb}}
  template:
    metadata: {labels: {app: srvweb}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox
        command: [sh, -c, 'exec sleep 3600']
        readinessProbe:
          exec: {command: [sh, -c, 'test ! -e /notready']}
          periodSeconds: 1
          failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata: {name: examplestatefulset-cip}
spec:
  selector: {example: exampleforstateful}
  ports: [{name: http, port: 8080, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nobody-matches-this}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: ${CA_CLIENT}}
spec:
  hostname: ${CA_CLIENT}
  subdomain: srvweb
  setHostnameAsFQDN: true
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'exec sleep 3600']
    volumeMounts: [{name: ca, mountPath: /ca, readOnly: true}]
  volumes:
  - name: ca
    configMap: {name: cluster-ca}
`;

const pods: PodInfo[] = [];

before(async () => {
  if (skip) return;
  const [podCidr, serviceCidr] = await pickFreeRanges(2);
  server = await startServer({ runtime: 'process', podCidr, serviceCidr });
  dnsPort = hostDnsPort(server);
  await k(server, ['apply', '-f', fixture('managed-nfs-storage.yml')]);
  await k(server, ['apply', '-f', fixture('examplestatefulset.yml')]);
  await k(server, ['apply', '-f', fixture('examplepodforheadlessservice.yml')]);
  await k(server, ['create', 'configmap', 'cluster-ca', `--from-file=ca.crt=${path.join(server.dataDir, 'pki', 'ca.crt')}`]);
  await k(server, ['apply', '-f', '-'], { stdin: EXTRA });
  await waitReadyReplicas(server, STS, 3);
  await waitReadyReplicas(server, 'srvweb', 3);
  await waitPodReady(server, CLIENT);
  await waitPodReady(server, CA_CLIENT);
  for (let i = 0; i < 3; i++) pods.push((await podInfo(server, `${STS}-${i}`))!);
});

after(async () => {
  await server?.dispose();
});

const podIPs = () => pods.map((p) => p.ip).sort();

test('nslookup of the headless Service inside a pod gives the three pod IPs, each named by its pod', { skip }, async () => {
  const out = await waitFor(
    async () => {
      const r = await inPod(server, CLIENT, `nslookup ${svcFqdn}`);
      return r.code === 0 && nslookupAddresses(r.stdout).join() === podIPs().join() ? r.stdout : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 200, what: `${svcFqdn} to resolve to ${podIPs().join(', ')}` },
  );
  assert.deepEqual(nslookupNames(out), [svcFqdn]);
  assert.deepEqual(await getentIPs(server, CLIENT, svcFqdn), podIPs());
  // The reverse names are the pods' own names, as the tutorial's nslookup prints them.
  for (let i = 0; i < 3; i++) {
    const ptr = await mustInPod(server, CLIENT, `nslookup ${pods[i]!.ip}`);
    assert.match(ptr, new RegExp(`name = ${podFqdn(i).replace(/\./g, '\\.')}\\.`), ptr);
  }
  // curl of the Service name reaches one of the pods (port 80, as in the tutorial).
  const any = await mustInPod(server, CLIENT, `curl -sS -m 5 ${svcFqdn}`);
  assert.ok([0, 1, 2].some((i) => any.trim() === page(i)), any);
});

test('each examplestatefulset-N.examplestatefulservice name resolves to pod N, and curl of it returns that pod', { skip }, async () => {
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await nslookupIPs(server, CLIENT, podFqdn(i)), [pods[i]!.ip], podFqdn(i));
    assert.deepEqual(await getentIPs(server, CLIENT, podFqdn(i)), [pods[i]!.ip], podFqdn(i));
    assert.equal((await mustInPod(server, CLIENT, `curl -sS -m 5 ${podFqdn(i)}`)).trim(), page(i));
  }
  const nx = await inPod(server, CLIENT, `nslookup ${STS}-7.${svcFqdn}`);
  assert.notEqual(nx.code, 0);
  assert.match(nx.stdout + nx.stderr, /NXDOMAIN/);
});

test('short names resolve inside a pod through the search path', { skip }, async () => {
  assert.deepEqual(await getentIPs(server, CLIENT, SVC), podIPs());
  assert.deepEqual(await nslookupIPs(server, CLIENT, `${SVC}.default`), podIPs());
  assert.deepEqual(await getentIPs(server, CLIENT, `${STS}-1.${SVC}`), [pods[1]!.ip]);
  assert.equal((await mustInPod(server, CLIENT, `curl -sS -m 5 ${STS}-2.${SVC}`)).trim(), page(2));
  assert.deepEqual(await getentIPs(server, CLIENT, 'kubernetes.default'), await digIPs(dnsPort, 'kubernetes.default.svc.cluster.local'));
});

test('SRV _web._tcp of a headless Service lists the three pods by hostname, inside a pod and from the host', { skip }, async () => {
  const name = `_web._tcp.srvweb.${ZONE}`;
  const want = [0, 1, 2].map((i) => ({ port: 80, target: `srvweb-${i}.srvweb.${ZONE}` }));
  const out = await mustInPod(server, CLIENT, `nslookup -type=SRV ${name}`);
  assert.deepEqual(nslookupSrv(out), want, out);
  const host = (await dig(dnsPort, name, 'SRV')).map((l) => l.split(/\s+/)).map(([, , port, target]) => ({ port: Number(port), target: target!.replace(/\.$/, '') }));
  assert.deepEqual(host.sort((a, b) => a.target.localeCompare(b.target)), want);
  // Each target resolves to its pod.
  for (let i = 0; i < 3; i++) {
    const p = (await podInfo(server, `srvweb-${i}`))!;
    assert.deepEqual(await getentIPs(server, CLIENT, `srvweb-${i}.srvweb.${ZONE}`), [p.ip]);
  }
});

test('dig against the host DNS port answers the same names', { skip }, async () => {
  assert.deepEqual(await digIPs(dnsPort, svcFqdn), podIPs());
  for (let i = 0; i < 3; i++) assert.deepEqual(await digIPs(dnsPort, podFqdn(i)), [pods[i]!.ip]);
  const cip = (await kjson(server, ['svc', 'examplestatefulset-cip'])).spec.clusterIP;
  assert.deepEqual(await digIPs(dnsPort, `examplestatefulset-cip.${ZONE}`), [cip]);
  assert.deepEqual(await getentIPs(server, CLIENT, 'examplestatefulset-cip'), [cip]);
});

test('a not-ready pod is absent from the Service A records and present with publishNotReadyAddresses', { skip }, async () => {
  const all = await Promise.all([0, 1, 2].map(async (i) => (await podInfo(server, `srvweb-${i}`))!));
  const ips = all.map((p) => p.ip).sort();
  assert.deepEqual(await digIPs(dnsPort, `srvweb.${ZONE}`), ips);
  await mustInPod(server, 'srvweb-2', 'touch /notready');
  await waitFor(async () => !(await podInfo(server, 'srvweb-2'))?.ready, { timeoutMs: 15_000, intervalMs: 150, what: 'srvweb-2 not Ready' });
  const ready = all.filter((p) => p.name !== 'srvweb-2').map((p) => p.ip).sort();
  await waitFor(async () => (await nslookupIPs(server, CLIENT, 'srvweb')).join() === ready.join(), { timeoutMs: 10_000, intervalMs: 200, what: `srvweb to resolve to ${ready.join(', ')} only` });
  assert.deepEqual(await digIPs(dnsPort, `srvweb.${ZONE}`), ready);
  assert.deepEqual(await nslookupIPs(server, CLIENT, 'srvweb-all'), ips);
  assert.deepEqual(await digIPs(dnsPort, `srvweb-all.${ZONE}`), ips);
  // Ready again: back in the records.
  await mustInPod(server, 'srvweb-2', 'rm /notready');
  await waitFor(async () => (await digIPs(dnsPort, `srvweb.${ZONE}`)).join() === ips.join(), { timeoutMs: 15_000, intervalMs: 150, what: 'srvweb-2 back in srvweb' });
});

test('a ClusterIP Service answers curl from a pod and spreads requests across the pods', { skip }, async () => {
  const svc = await kjson(server, ['svc', 'examplestatefulset-cip']);
  const cip = svc.spec.clusterIP as string;
  const N = 30;
  const out = await mustInPod(server, CLIENT, `for i in $(seq ${N}); do curl -sS -m 5 http://examplestatefulset-cip:8080/ || echo FAILED; done`);
  const lines = out.trim().split('\n');
  assert.equal(lines.length, N, out);
  for (const l of lines) assert.ok([0, 1, 2].some((i) => l === page(i)), `unexpected answer ${JSON.stringify(l)}`);
  assert.equal(new Set(lines).size, 3, `requests went to ${[...new Set(lines)].join(', ')} only`);
  // By address too, and from a pod behind the Service itself (which may be its own endpoint).
  assert.match(await mustInPod(server, `${STS}-0`, `python -c "import urllib.request;print(urllib.request.urlopen('http://${cip}:8080/', timeout=5).read().decode())"`), /<p>The host is examplestatefulset-\d<\/p>/);
  // No endpoints, or a port the Service does not have: refused at once, not left to time out.
  const nobody = (await kjson(server, ['svc', 'nobody'])).spec.clusterIP as string;
  const refused = await inPod(server, CLIENT, `curl -sS -m 5 http://${nobody}/`);
  assert.equal(refused.code, 7, `curl to a Service without endpoints: ${refused.stderr}`);
  const wrongPort = await inPod(server, CLIENT, `curl -sS -m 5 http://${cip}:8081/`);
  assert.equal(wrongPort.code, 7, `curl to a port the Service lacks: ${wrongPort.stderr}`);
});

test('the kubernetes Service answers from a pod with the API server certificate', { skip }, async () => {
  const svc = await kjson(server, ['svc', 'kubernetes']);
  assert.deepEqual(svc.spec.ports.map((p: any) => p.port), [443]);
  for (const url of ['https://kubernetes.default.svc/version', 'https://kubernetes.default.svc.cluster.local/version', `https://${svc.spec.clusterIP}/version`]) {
    const out = await mustInPod(server, CA_CLIENT, `curl -sS -m 5 --cacert /ca/ca.crt ${url}`);
    assert.equal(JSON.parse(out).major, '1', out);
  }
});

test('pod hostname, /etc/hosts and setHostnameAsFQDN behave as the kubelet makes them', { skip }, async () => {
  assert.equal((await mustInPod(server, `${STS}-0`, 'hostname')).trim(), `${STS}-0`);
  const hosts = await mustInPod(server, `${STS}-0`, 'cat /etc/hosts');
  assert.ok(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n'), hosts);
  assert.match(hosts, new RegExp(`^${pods[0]!.ip.replace(/\./g, '\\.')}\\t${podFqdn(0).replace(/\./g, '\\.')}\\t${STS}-0$`, 'm'));
  assert.equal((await mustInPod(server, `${STS}-0`, 'hostname -f')).trim(), podFqdn(0));
  // setHostnameAsFQDN: the kernel hostname is the FQDN; /etc/hosts still names both forms.
  const fqdn = `${CA_CLIENT}.srvweb.${ZONE}`;
  assert.equal((await mustInPod(server, CA_CLIENT, 'hostname')).trim(), fqdn);
  assert.equal((await mustInPod(server, CA_CLIENT, 'echo $HOSTNAME')).trim(), fqdn);
  const ca = (await podInfo(server, CA_CLIENT))!;
  assert.match(await mustInPod(server, CA_CLIENT, 'cat /etc/hosts'), new RegExp(`^${ca.ip.replace(/\./g, '\\.')}\\t${fqdn.replace(/\./g, '\\.')}\\t${CA_CLIENT}$`, 'm'));
  // The tutorial's client pod has neither hostname nor subdomain: its own name, no domain.
  const client = (await podInfo(server, CLIENT))!;
  assert.match(await mustInPod(server, CLIENT, 'cat /etc/hosts'), new RegExp(`^${client.ip.replace(/\./g, '\\.')}\\t${CLIENT}$`, 'm'));
});

test('after kubectl delete pod examplestatefulset-1, its name resolves to the rebuilt pod once Ready', { skip }, async () => {
  const old = pods[1]!;
  await k(server, ['delete', 'pod', `${STS}-1`, '--wait=false']);
  const rebuilt = await waitPodReady(server, `${STS}-1`, { oldUid: old.uid });
  await waitFor(async () => (await nslookupIPs(server, CLIENT, podFqdn(1))).join() === rebuilt.ip, {
    timeoutMs: 10_000,
    intervalMs: 200,
    what: `${podFqdn(1)} to resolve to the rebuilt pod's ${rebuilt.ip}`,
  });
  assert.equal((await mustInPod(server, CLIENT, `curl -sS -m 5 ${podFqdn(1)}`)).trim(), page(1));
  const ips = [pods[0]!.ip, rebuilt.ip, pods[2]!.ip].sort();
  await waitFor(async () => (await digIPs(dnsPort, svcFqdn)).join() === ips.join(), { timeoutMs: 10_000, intervalMs: 200, what: `${svcFqdn} with the rebuilt pod` });
  // The tutorial: the rebuilt pod appended a second line to the same volume.
  assert.equal(await mustInPod(server, `${STS}-1`, 'cat /dir/data'), `The host is ${STS}-1\nThe host is ${STS}-1\n`);
});
