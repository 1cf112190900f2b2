// The StatefulSet tutorial (../shared/seed, WALKTHROUGH.md steps 1 to 11) played with the
// real kubectl against `ordinal up --runtime process`: real processes, real pod IPs, the
// cluster DNS, the nfs-subdir provisioner's directories. Every observable claim of the
// walkthrough is checked; where the tutorial is wrong about Kubernetes (default update
// strategy, delete-before-create in a rolling update), the checks follow Kubernetes.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackgroundKubectl } from '../../support/kubectl.js';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { pickFreeRanges } from '../../node/network/host-support.js';
import {
  copyExamples, CURL_POD, first, goingAt, goneAt, kc, newReadyAt, podFqdn, podsByName, recordPods, rows,
  STS, SVC, SVC_FQDN, waitForPods, watchRows, type PodObject,
} from './tutorial-support.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the process runtime)' : false;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const IMAGE_PATCH = (image: string) => ['set', 'image', `statefulset/${STS}`, `pythonserviceforstateful=${image}`];

describe('the StatefulSet tutorial on the process runtime', { skip }, () => {
  let server: TestServer;
  let watch: BackgroundKubectl | undefined;
  const claimToVolume = new Map<string, string>();
  let ips = new Map<string, string>();

  before(async () => {
    const [podCidr, serviceCidr] = await pickFreeRanges(2);
    server = await startServer({ runtime: 'process', podCidr, serviceCidr });
    copyExamples(server.workDir);
  });
  after(async () => {
    await watch?.stop();
    if (server) await server.dispose();
  });

  // The steps build on each other: once one fails, the rest are skipped rather than failing
  // slowly with timeouts of their own.
  let broken = false;
  const step = (name: string, fn: () => Promise<void>) =>
    test(name, async (t) => {
      if (broken) return t.skip('an earlier step failed');
      try {
        await fn();
      } catch (err) {
        broken = true;
        throw new Error(`${(err as Error).message}\n--- last server output ---\n${server.logs().slice(-3000)}`, { cause: err });
      }
    });

  const nfsExport = () => join(server.dataDir, 'nfs', '127.0.0.1', 'exports');
  const exec = (args: string[]) => kc(server, ['exec', CURL_POD, '--', ...args]);

  step('1-2. apply: pods are created one at a time, in ordinal order, each after the previous is Running and Ready', async () => {
    assert.equal(await kc(server, ['apply', '-f', 'managed-nfs-storage.yml']), 'storageclass.storage.k8s.io/managed-nfs-storage created\n');
    // -v=6 only adds request logs on stderr: they tell when the watch request is answered, so
    // the apply below cannot race kubectl's start.
    watch = server.kubectlBackground(['get', 'pods', '-w', '--output-watch-events', '-v=6']);
    await waitFor(() => /watch=true[^\n]*200 OK/.test(watch!.stderr()), { what: 'the watch to start', timeoutMs: 15_000 });
    assert.equal(
      await kc(server, ['apply', '-f', 'examplestatefulset.yml']),
      `service/${SVC} created\nstatefulset.apps/${STS} created\n`,
    );
    await waitFor(() => watchRows(watch!.stdout()).some((r) => r.name === `${STS}-2` && r.ready === '1/1' && r.status === 'Running'), {
      timeoutMs: 90_000,
      what: `${STS}-2 Running in the watch`,
    });
    const table = watch.stdout();
    await watch.stop();
    watch = undefined;
    assert.match(table, /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    const seen = watchRows(table);
    assert.deepEqual([...new Set(seen.map((r) => r.name))], [`${STS}-0`, `${STS}-1`, `${STS}-2`], table);
    const added = (n: number) => seen.findIndex((r) => r.event === 'ADDED' && r.name === `${STS}-${n}`);
    const running = (n: number) => seen.findIndex((r) => r.name === `${STS}-${n}` && r.ready === '1/1' && r.status === 'Running');
    for (const n of [0, 1, 2]) assert.ok(added(n) >= 0 && running(n) > added(n), `${STS}-${n} ADDED then Running\n${table}`);
    assert.ok(running(0) < added(1), `${STS}-1 is created only after ${STS}-0 is Running and Ready\n${table}`);
    assert.ok(running(1) < added(2), `${STS}-2 is created only after ${STS}-1 is Running and Ready\n${table}`);
    for (const r of seen) assert.ok(['ADDED', 'MODIFIED'].includes(r.event), `no pod deleted while creating: ${table}`);
    // The first rows: the pod starts Pending.
    assert.equal(seen[0]!.status, 'Pending', table);
  });

  step('3. get statefulset: 3/3', async () => {
    await waitForPods(server, 3);
    const out = await kc(server, ['get', 'statefulset']);
    assert.match(out, /^NAME\s+READY\s+AGE\n/);
    assert.match(out, new RegExp(`^${STS}\\s+3/3\\s+\\d+[smh]\\S*\\n`, 'm'));
  });

  step('4. describe statefulset: replicas, RollingUpdate with partition 0, template, claims, SuccessfulCreate events', async () => {
    const out = await kc(server, ['describe', 'statefulset', STS]);
    for (const re of [
      new RegExp(`^Name:\\s+${STS}$`, 'm'),
      /^Namespace:\s+default$/m,
      /^Selector:\s+example=exampleforstateful$/m,
      /^Replicas:\s+3 desired \| 3 total$/m,
      /^Update Strategy:\s+RollingUpdate\n\s+Partition:\s+0$/m,
      /^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m,
      /^\s+pythonserviceforstateful:\n\s+Image:\s+python:3\.7\n\s+Port:\s+80\/TCP$/m,
      /^\s+Command:\n\s+sh\n\s+-c$/m,
      /^\s+echo "The host is \$\(hostname\)" >> \/dir\/data; echo "<p>The host is \$\(hostname\)<\/p>" > index.html; python -m http.server 80$/m,
      /^\s+\/dir from statefuldata \(rw\)$/m,
      /^Volume Claims:\n\s+Name:\s+statefuldata\n\s+StorageClass:\s+managed-nfs-storage\n/m,
      /^\s+Capacity:\s+200Mi\n\s+Access Modes:\s+\[ReadWriteOnce\]$/m,
      /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message$/m,
    ]) assert.match(out, re);
    for (const n of [0, 1, 2]) {
      const claim = `statefuldata-${STS}-${n}`;
      assert.match(out, new RegExp(`^\\s+Normal\\s+SuccessfulCreate\\s+\\S+\\s+statefulset-controller\\s+create Claim ${claim} Pod ${STS}-${n} in StatefulSet ${STS} success$`, 'm'));
      assert.match(out, new RegExp(`^\\s+Normal\\s+SuccessfulCreate\\s+\\S+\\s+statefulset-controller\\s+create Pod ${STS}-${n} in StatefulSet ${STS} successful$`, 'm'));
    }
    assert.equal(out.match(/SuccessfulCreate/g)?.length, 6, out);
  });

  step('5. get pvc / get pv: one claim per pod, each Bound to its own provisioned pvc-<uid>, 200Mi RWO managed-nfs-storage', async () => {
    const pvc = await kc(server, ['get', 'pvc']);
    assert.match(pvc, /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+(VOLUMEATTRIBUTESCLASS\s+)?AGE\n/);
    const pvcRows = rows(pvc);
    assert.deepEqual(pvcRows.map((r) => r[0]), [0, 1, 2].map((n) => `statefuldata-${STS}-${n}`));
    for (const r of pvcRows) {
      assert.equal(r[1], 'Bound');
      assert.match(r[2]!, new RegExp(`^pvc-${UUID}$`));
      assert.deepEqual(r.slice(3, 6), ['200Mi', 'RWO', 'managed-nfs-storage']);
      claimToVolume.set(r[0]!, r[2]!);
    }
    // The PV is named after the claim's uid.
    const claim0 = JSON.parse(await kc(server, ['get', 'pvc', `statefuldata-${STS}-0`, '-o', 'json']));
    assert.equal(claimToVolume.get(`statefuldata-${STS}-0`), `pvc-${claim0.metadata.uid}`);
    assert.equal(new Set(claimToVolume.values()).size, 3);

    const pv = await kc(server, ['get', 'pv']);
    assert.match(pv, /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+(VOLUMEATTRIBUTESCLASS\s+)?REASON\s+AGE\n/);
    const pvRows = rows(pv).filter((r) => r[5]?.startsWith(`default/statefuldata-${STS}`));
    assert.equal(pvRows.length, 3, pv);
    for (const r of pvRows) {
      assert.deepEqual(r.slice(1, 5), ['200Mi', 'RWO', 'Delete', 'Bound']);
      assert.equal(r[6], 'managed-nfs-storage');
      assert.equal(claimToVolume.get(r[5]!.slice('default/'.length)), r[0], pv);
    }
  });

  step('6. describe pv: an NFS source under the export, named <ns>-<claim>-<pv>; each directory holds data', async () => {
    const dirs: string[] = [];
    for (const n of [0, 1, 2]) {
      const claim = `statefuldata-${STS}-${n}`;
      const pv = claimToVolume.get(claim)!;
      const out = await kc(server, ['describe', 'pv', pv]);
      for (const re of [
        new RegExp(`^Name:\\s+${pv}$`, 'm'),
        /^Annotations:\s+pv\.kubernetes\.io\/provisioned-by: fuseim\.pri\/ifs$/m,
        /^Finalizers:\s+\[kubernetes\.io\/pv-protection\]$/m,
        /^StorageClass:\s+managed-nfs-storage$/m,
        /^Status:\s+Bound$/m,
        new RegExp(`^Claim:\\s+default/${claim}$`, 'm'),
        /^Reclaim Policy:\s+Delete$/m,
        /^Access Modes:\s+RWO$/m,
        /^Capacity:\s+200Mi$/m,
        /^\s+Type:\s+NFS \(an NFS mount that lasts the lifetime of a pod\)$/m,
        /^\s+Server:\s+127\.0\.0\.1$/m,
        new RegExp(`^\\s+Path:\\s+/exports/default-${claim}-${pv}$`, 'm'),
      ]) assert.match(out, re);
      const dir = `default-${claim}-${pv}`;
      dirs.push(dir);
      assert.equal(readFileSync(join(nfsExport(), dir, 'data'), 'utf8'), `The host is ${STS}-${n}\n`);
    }
    assert.deepEqual(readdirSync(nfsExport()).sort(), dirs.sort());
  });

  step('7. get svc: the headless Service has ClusterIP None', async () => {
    const out = await kc(server, ['get', 'svc']);
    assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    assert.match(out, new RegExp(`^${SVC}\\s+ClusterIP\\s+None\\s+<none>\\s+8080/TCP\\s+\\S+$`, 'm'));
    assert.match(out, /^kubernetes\s+ClusterIP\s+10\.\d+\.0\.1\s+<none>\s+443\/TCP\s+\S+$/m);
  });

  step('8. from the curl pod: nslookup and curl for the Service and for every pod', async () => {
    assert.equal(await kc(server, ['apply', '-f', 'examplepodforheadlessservice.yml']), `pod/${CURL_POD} created\n`);
    await kc(server, ['wait', '--for=condition=Ready', `pod/${CURL_POD}`, '--timeout=60s']);
    const logs = await kc(server, ['logs', CURL_POD]);
    assert.equal(logs, 'test pod for headless service!\n');
    const pods = await podsByName(server);
    ips = new Map([...pods].map(([n, p]) => [n, p.status.podIP!]));
    assert.equal(new Set(ips.values()).size, 3);

    // The Service name: one A record per pod, the pods' IPs.
    const all = await exec(['nslookup', SVC_FQDN]);
    const addresses = (out: string) => [...out.split(/\n\n/).slice(1).join('\n').matchAll(/^Address:\s*(\S+)$/gm)].map((m) => m[1]);
    const names = (out: string) => [...out.matchAll(/^Name:\s*(\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(addresses(all).sort(), [...ips.values()].sort(), all);
    assert.deepEqual(new Set(names(all)), new Set([SVC_FQDN]), all);
    // Each address is named after its pod (the names busybox's nslookup prints beside them).
    for (const [name, ip] of ips) {
      const ptr = await exec(['nslookup', ip]);
      assert.match(ptr, new RegExp(`name = ${name}\\.${SVC_FQDN.replace(/\./g, '\\.')}\\.$`, 'm'), ptr);
    }
    // curl of the Service name reaches one of the pods.
    const any = await exec(['curl', '-s', SVC_FQDN]);
    assert.match(any, new RegExp(`^<p>The host is ${STS}-[012]</p>\\n$`));
    // Each pod's own name: exactly that pod.
    for (const n of [0, 1, 2]) {
      const one = await exec(['nslookup', podFqdn(n)]);
      assert.deepEqual(names(one), [podFqdn(n)], one);
      assert.deepEqual(addresses(one), [ips.get(`${STS}-${n}`)], one);
      assert.equal(await exec(['curl', '-s', podFqdn(n)]), `<p>The host is ${STS}-${n}</p>\n`);
    }
  });

  step('9. delete pod/examplestatefulset-1: it comes back with the same name and claim, and appends to the same data file', async () => {
    const before = (await podsByName(server)).get(`${STS}-1`)!;
    assert.equal(await kc(server, ['delete', `pod/${STS}-1`]), `pod "${STS}-1" deleted\n`);
    const pods = await waitFor(async () => {
      const ps = await waitForPods(server, 3);
      return ps.get(`${STS}-1`)!.metadata.uid !== before.metadata.uid ? ps : undefined;
    }, { timeoutMs: 60_000, what: `a new ${STS}-1` });
    const again: PodObject = pods.get(`${STS}-1`)!;
    const claimOf = (p: PodObject) => p.spec.volumes?.find((v) => v.name === 'statefuldata')?.persistentVolumeClaim?.claimName;
    assert.equal(claimOf(again), `statefuldata-${STS}-1`);
    assert.notEqual(again.status.podIP, before.status.podIP, 'the new pod has a new IP');
    const claim = `statefuldata-${STS}-1`;
    assert.equal((await kc(server, ['get', 'pvc', claim, '-o', 'jsonpath={.spec.volumeName}'])), claimToVolume.get(claim));
    const file = join(nfsExport(), `default-${claim}-${claimToVolume.get(claim)}`, 'data');
    assert.equal(readFileSync(file, 'utf8'), `The host is ${STS}-1\nThe host is ${STS}-1\n`);
    // Its DNS name follows it to the new address.
    await waitFor(async () => (await exec(['nslookup', podFqdn(1)])).includes(`Address: ${again.status.podIP}\n`), {
      timeoutMs: 20_000, what: 'the pod name to resolve to the new IP',
    });
    assert.equal(await exec(['curl', '-s', podFqdn(1)]), `<p>The host is ${STS}-1</p>\n`);
  });

  step('10. scaling: up to 5 by editing replicas and re-applying, in order; down to 3 with kubectl scale, from the highest ordinal, one at a time', async () => {
    const file = join(server.workDir, 'examplestatefulset.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 3', 'replicas: 5'));
    const rec = await recordPods(server);
    try {
      assert.equal(await kc(server, ['apply', '-f', 'examplestatefulset.yml']), `service/${SVC} unchanged\nstatefulset.apps/${STS} configured\n`);
      await waitForPods(server, 5);
      let ms = rec.moments();
      const added = (n: number) => first(ms, `${STS}-${n} ADDED`, (m) => m.type === 'ADDED' && m.name === `${STS}-${n}`).seq;
      const ready = (n: number) => first(ms, `${STS}-${n} Ready`, (m) => m.name === `${STS}-${n}` && m.ready).seq;
      assert.ok(ready(3) < added(4), `${STS}-4 is created after ${STS}-3 is Ready`);
      assert.ok(ms.every((m) => m.type !== 'DELETED' && !m.terminating), 'scale-up deletes nothing');
      const uid = (await podsByName(server));

      assert.equal(await kc(server, ['scale', 'statefulset', STS, '--replicas=3']), `statefulset.apps/${STS} scaled\n`);
      await waitForPods(server, 3);
      await waitFor(() => rec.moments().some((m) => m.name === `${STS}-3` && m.type === 'DELETED'), { what: `${STS}-3 gone` });
      ms = rec.moments();
      const uid4 = uid.get(`${STS}-4`)!.metadata.uid;
      const uid3 = uid.get(`${STS}-3`)!.metadata.uid;
      assert.ok(goneAt(ms, uid4, `${STS}-4`) < goingAt(ms, uid3, `${STS}-3`), `${STS}-4 is gone before ${STS}-3 starts terminating`);
      for (const n of [0, 1, 2]) {
        assert.ok(!ms.some((m) => m.uid === uid.get(`${STS}-${n}`)!.metadata.uid && (m.terminating || m.type === 'DELETED')), `${STS}-${n} stays`);
      }
    } finally {
      rec.close();
    }
    // Scale-down keeps the claims (the default retention policy is Retain).
    const pvcs = rows(await kc(server, ['get', 'pvc'])).map((r) => `${r[0]} ${r[1]}`);
    assert.deepEqual(pvcs, [0, 1, 2, 3, 4].map((n) => `statefuldata-${STS}-${n} Bound`));
  });

  step('11a. RollingUpdate: pods are replaced from the highest ordinal down, each deleted then recreated and Ready before the next', async () => {
    const old = await podsByName(server);
    const oldUids = new Set([...old.values()].map((p) => p.metadata.uid));
    const rec = await recordPods(server);
    try {
      assert.equal(await kc(server, IMAGE_PATCH('python:3.8')), `statefulset.apps/${STS} image updated\n`);
      await waitForPods(server, 3, { image: 'python:3.8' });
      const ms = rec.moments();
      const going = (n: number) => goingAt(ms, old.get(`${STS}-${n}`)!.metadata.uid, `${STS}-${n}`);
      const gone = (n: number) => goneAt(ms, old.get(`${STS}-${n}`)!.metadata.uid, `${STS}-${n}`);
      const created = (n: number) => first(ms, `a new ${STS}-${n}`, (m) => m.type === 'ADDED' && m.name === `${STS}-${n}`).seq;
      const readyAt = (n: number) => newReadyAt(ms, `${STS}-${n}`, oldUids);
      // Highest first: 2, then 1, then 0.
      assert.ok(readyAt(2) < going(1), `${STS}-1 is replaced after the new ${STS}-2 is Ready`);
      assert.ok(readyAt(1) < going(0), `${STS}-0 is replaced after the new ${STS}-1 is Ready`);
      // Delete first, then create under the same name (Kubernetes, not the tutorial's create-first).
      for (const n of [0, 1, 2]) assert.ok(gone(n) < created(n), `the old ${STS}-${n} is gone before the new one is created`);
    } finally {
      rec.close();
    }
    const out = await kc(server, ['rollout', 'status', `statefulset/${STS}`, '--timeout=60s']);
    assert.match(out, /partitioned roll out complete: 3 new pods have been updated/);
  });

  step('11b. partition 2: only ordinal 2 is updated (canary); partition 0 completes the rollout', async () => {
    assert.equal(
      await kc(server, ['patch', 'statefulset', STS, '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']),
      `statefulset.apps/${STS} patched\n`,
    );
    const old = await podsByName(server);
    assert.equal(await kc(server, IMAGE_PATCH('python:3.9')), `statefulset.apps/${STS} image updated\n`);
    await waitFor(async () => {
      const p = (await podsByName(server)).get(`${STS}-2`);
      return p && p.spec.containers[0]!.image === 'python:3.9' && p.status.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    }, { timeoutMs: 60_000, what: `${STS}-2 on python:3.9` });
    const status = await kc(server, ['rollout', 'status', `statefulset/${STS}`, '--timeout=60s']);
    assert.match(status, /partitioned roll out complete: 1 new pods have been updated/);
    // A window of 2 s in which ordinals 0 and 1 stay as they were.
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      const pods = await podsByName(server);
      for (const n of [0, 1]) {
        const p = pods.get(`${STS}-${n}`)!;
        assert.equal(p.metadata.uid, old.get(`${STS}-${n}`)!.metadata.uid, `${STS}-${n} is not replaced below the partition`);
        assert.equal(p.spec.containers[0]!.image, 'python:3.8');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const images = await kc(server, ['get', 'pod', '-l', 'example=exampleforstateful', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image']);
    assert.deepEqual(rows(images), [[`${STS}-0`, 'python:3.8'], [`${STS}-1`, 'python:3.8'], [`${STS}-2`, 'python:3.9']]);

    assert.equal(
      await kc(server, ['patch', 'statefulset', STS, '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']),
      `statefulset.apps/${STS} patched\n`,
    );
    await waitForPods(server, 3, { image: 'python:3.9' });
    const describe = await kc(server, ['describe', 'statefulset', STS]);
    assert.match(describe, /^Update Strategy:\s+RollingUpdate\n\s+Partition:\s+0$/m);
  });

  step('11c. OnDelete: a template change replaces only the pods the user deletes', async () => {
    assert.equal(
      await kc(server, ['patch', 'statefulset', STS, '-p', '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}']),
      `statefulset.apps/${STS} patched\n`,
    );
    const old = await podsByName(server);
    assert.equal(await kc(server, IMAGE_PATCH('python:3.10')), `statefulset.apps/${STS} image updated\n`);
    await waitFor(async () => {
      const s = (await server.api().get(`/apis/apps/v1/namespaces/default/statefulsets/${STS}`)).json;
      return s.status.observedGeneration === s.metadata.generation && s.status.updateRevision !== s.status.currentRevision;
    }, { what: 'the controller to see the new template' });
    // A window of 2 s: nothing is replaced on its own.
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      const pods = await podsByName(server);
      for (const [name, p] of old) assert.equal(pods.get(name)?.metadata.uid, p.metadata.uid, `${name} is not replaced under OnDelete`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await kc(server, ['delete', 'pod', `${STS}-0`]), `pod "${STS}-0" deleted\n`);
    await kc(server, ['wait', '--for=create', `pod/${STS}-0`, '--timeout=60s']);
    await kc(server, ['wait', '--for=condition=Ready', `pod/${STS}-0`, '--timeout=60s']);
    const pods = await waitForPods(server, 3);
    assert.notEqual(pods.get(`${STS}-0`)!.metadata.uid, old.get(`${STS}-0`)!.metadata.uid);
    assert.equal(pods.get(`${STS}-0`)!.spec.containers[0]!.image, 'python:3.10');
    for (const n of [1, 2]) {
      assert.equal(pods.get(`${STS}-${n}`)!.metadata.uid, old.get(`${STS}-${n}`)!.metadata.uid, `${STS}-${n} stays`);
      assert.equal(pods.get(`${STS}-${n}`)!.spec.containers[0]!.image, 'python:3.9');
    }
    assert.match(await kc(server, ['describe', 'statefulset', STS]), /^Update Strategy:\s+OnDelete$/m);
    // After all these replacements the curl pod, never restarted, still resolves and reaches
    // every pod by name (its ARP entry for the bridge, DNS included, stays valid).
    for (const n of [0, 1, 2]) {
      const body = await waitFor(async () => {
        const r = await server.kubectl(['exec', CURL_POD, '--', 'curl', '-sS', '--max-time', '5', podFqdn(n)]);
        return r.code === 0 ? r.stdout : undefined;
      }, { timeoutMs: 20_000, what: `curl ${podFqdn(n)} after the updates` });
      assert.equal(body, `<p>The host is ${STS}-${n}</p>\n`);
    }
    // Every incarnation of every pod appended its line to its own claim's file.
    const data0 = readFileSync(join(nfsExport(), `default-statefuldata-${STS}-0-${claimToVolume.get(`statefuldata-${STS}-0`)}`, 'data'), 'utf8');
    assert.ok(data0.split('\n').filter(Boolean).every((l) => l === `The host is ${STS}-0`), data0);
    assert.ok(existsSync(nfsExport()));
  });
  step('12. the myapp example: the static nfs-pv binds the first claim, the second stays Pending; nginx-slim serves the volume', async () => {
    const out = await kc(server, ['apply', '-f', 'myapp.yml']);
    assert.equal(out, 'service/myapp-svc created\npersistentvolume/nfs-pv created\nstatefulset.apps/myapp-sts created\n');
    await kc(server, ['wait', '--for=create', 'pod/myapp-sts-0', '--timeout=60s']);
    await kc(server, ['wait', '--for=condition=Ready', 'pod/myapp-sts-0', '--timeout=60s']);
    const pv = rows(await kc(server, ['get', 'pv', 'nfs-pv']));
    assert.deepEqual(pv[0]!.slice(0, 7), ['nfs-pv', '2Gi', 'RWO', 'Recycle', 'Bound', 'default/myapp-data-myapp-sts-0', 'nfs']);
    // The second claim finds no PV of class nfs and no provisioner: it stays Pending, and so
    // does its pod, which OrderedReady created once myapp-sts-0 was Ready.
    await waitFor(async () => (await kc(server, ['get', 'pvc', 'myapp-data-myapp-sts-1', '-o', 'jsonpath={.status.phase}'])) === 'Pending', { what: 'the second claim' });
    const dir = join(server.dataDir, 'nfs', '172.17.0.2', 'nfs', 'data1');
    writeFileSync(join(dir, 'index.html'), '<p>myapp on nfs-pv</p>\n');
    // The pod's DNS name appears once its endpoint is published (a moment after Ready).
    const body = await waitFor(async () => {
      const r = await server.kubectl(['exec', CURL_POD, '--', 'curl', '-s', 'myapp-sts-0.myapp-svc.default.svc.cluster.local']);
      return r.code === 0 ? r.stdout : undefined;
    }, { timeoutMs: 20_000, what: 'curl myapp-sts-0.myapp-svc' }).catch(async (err) => {
      const ns = await server.kubectl(['exec', CURL_POD, '--', 'nslookup', 'myapp-sts-0.myapp-svc.default.svc.cluster.local']);
      const c = await server.kubectl(['exec', CURL_POD, '--', 'curl', '-sS', 'myapp-sts-0.myapp-svc.default.svc.cluster.local']);
      const eps = await server.kubectl(['get', 'endpointslices,pods', '-o', 'wide']);
      throw new Error(`${(err as Error).message}\n${ns.stdout}${ns.stderr}\n${c.stdout}${c.stderr}\n${eps.stdout}`);
    });
    assert.equal(body, '<p>myapp on nfs-pv</p>\n');
    const p1 = JSON.parse(await kc(server, ['get', 'pod', 'myapp-sts-1', '-o', 'json']));
    assert.equal(p1.status.phase, 'Pending');
  });
});
