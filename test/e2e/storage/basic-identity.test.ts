// Must-hold 3, catalogue row R13 (upstream e2e "should provide basic identity") with real
// processes: three pods with `datadir` claims from the default class (local-path,
// WaitForFirstConsumer); each pod writes its hostname to its volume through `kubectl exec`;
// after a scale to 0 and back, each pod reads back its own hostname. `hostname` is the pod
// name and the pod's subdomain is the Service.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { pickFreeRanges, rootSkipReason } from '../../node/network/host-support.js';
import { fixture, k, kget, kjson, waitGone, waitPodReady } from './support.js';

const skip = rootSkipReason();
let server: TestServer;
const pods = [0, 1, 2].map((i) => `ss-${i}`);

before(async () => {
  if (skip) return;
  const [podCidr, serviceCidr] = await pickFreeRanges(2);
  server = await startServer({ runtime: 'process', podCidr, serviceCidr });
});

after(async () => {
  await server?.dispose();
});

async function waitSet(n: number): Promise<void> {
  await waitFor(async () => {
    const sts = await kjson(server, ['sts', 'ss']);
    return sts.status?.readyReplicas === n && sts.status?.replicas === n ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 200, what: `ss with ${n} ready replicas` });
}

test('R13 basic identity: stable hostname, subdomain and per-pod data across a scale to 0 and back', { skip }, async () => {
  await k(server, ['apply', '-f', fixture('basic-identity.yml')]);
  await waitSet(3);

  const uids = new Map<string, string>();
  const volumes = new Map<string, string>();
  for (const name of pods) {
    const pod = await waitPodReady(server, name);
    uids.set(name, pod.metadata.uid);
    assert.equal(pod.spec.hostname, name);
    assert.equal(pod.spec.subdomain, 'test', 'subdomain == service');
    assert.equal((await k(server, ['exec', name, '--', 'hostname'])).trim(), name, 'hostname == pod name');
    // The FQDN the kubelet writes to /etc/hosts for a pod with hostname and subdomain.
    assert.equal((await k(server, ['exec', name, '--', 'hostname', '-f'])).trim(), `${name}.test.default.svc.cluster.local`);

    const claim = await kjson(server, ['pvc', `datadir-${name}`]);
    assert.equal(claim.status.phase, 'Bound');
    assert.equal(claim.spec.storageClassName, 'standard', 'the default class was filled in');
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/selected-node'], pod.spec.nodeName, 'the scheduler picked the node (WaitForFirstConsumer)');
    const pv = await kjson(server, ['pv', claim.spec.volumeName]);
    const dir = pv.spec.hostPath?.path ?? pv.spec.local?.path;
    assert.ok(dir && dir.startsWith(path.join(server.dataDir, 'local-path') + path.sep), `local-path volume under DATA_DIR/local-path: ${dir}`);
    volumes.set(name, claim.spec.volumeName);

    // Upstream writes the hostname through exec, exactly so.
    await k(server, ['exec', name, '--', 'sh', '-c', 'printf $(hostname) > /data/hostname; sync']);
    assert.equal(fs.readFileSync(path.join(dir, 'hostname'), 'utf8'), name, 'the write landed in the pod\'s own volume');
  }

  await k(server, ['scale', 'sts/ss', '--replicas=0']);
  for (const name of pods) await waitGone(server, 'pod', name);
  for (const name of pods) {
    const claim = await kget(server, 'pvc', `datadir-${name}`);
    assert.equal(claim?.status.phase, 'Bound', `datadir-${name} kept while scaled to 0`);
  }

  await k(server, ['scale', 'sts/ss', '--replicas=3']);
  await waitSet(3);
  for (const name of pods) {
    const pod = await waitPodReady(server, name);
    assert.notEqual(pod.metadata.uid, uids.get(name), `${name} is a new pod`);
    assert.equal((await kjson(server, ['pvc', `datadir-${name}`])).spec.volumeName, volumes.get(name));
    assert.equal(await k(server, ['exec', name, '--', 'cat', '/data/hostname']), name, `${name} reads back its own hostname`);
    assert.equal((await k(server, ['exec', name, '--', 'hostname'])).trim(), name);
  }
});
