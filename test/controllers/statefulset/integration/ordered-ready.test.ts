// OrderedReady creation with the real kubectl: pods appear strictly one after another, each
// only once its predecessor is Running and Ready; `get sts` shows 3/3; `describe` shows the
// upstream events for claims and pods.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestServer } from '../../../support/server.js';
import { expectOk } from '../../../support/expect.js';
import { waitFor } from '../../../support/wait.js';
import { applySet, listNames, namespaceWithReadiness, startControllerServer } from './harness.js';

let server: TestServer;
before(async () => { server = await startControllerServer(); });
after(async () => { await server?.dispose(); });

const ORDER_WINDOW_MS = 1000;

test('a 3-replica OrderedReady set creates its pods one after another, each after its predecessor is Ready', async () => {
  const ns = 'ordered';
  const pods = await namespaceWithReadiness(server, ns);
  try {
    await applySet(server, { ns, replicas: 3 });
    for (let i = 0; i < 3; i++) {
      const pod = await pods.waitAdded(`web-${i}`);
      assert.equal(pod.spec.hostname, `web-${i}`);
      assert.equal(pod.spec.subdomain, 'nginx');
      assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], `web-${i}`);
      assert.equal(pod.metadata.labels['apps.kubernetes.io/pod-index'], String(i));
      assert.equal(pod.spec.volumes.find((v: any) => v.name === 'www')?.persistentVolumeClaim?.claimName, `www-web-${i}`);
      if (i < 2) {
        // While web-i is Pending, its successor must not be created.
        await pods.expectNone((e) => e.type === 'ADDED' && e.name === `web-${i + 1}`, ORDER_WINDOW_MS, `web-${i + 1} before web-${i} is Ready`);
      }
      await pods.markReady(`web-${i}`);
    }
    assert.deepEqual(pods.addedOrder(), ['web-0', 'web-1', 'web-2']);
    // Each ADDED came after the Ready status write of the pod before it.
    for (let i = 1; i < 3; i++) {
      const readyAt = pods.events.findIndex((e) => e.name === `web-${i - 1}` && e.ready);
      const addedAt = pods.events.findIndex((e) => e.type === 'ADDED' && e.name === `web-${i}`);
      assert.ok(readyAt >= 0 && readyAt < addedAt, `web-${i} created before web-${i - 1} was Ready: ${JSON.stringify(pods.events.map((e) => [e.type, e.name, e.ready]))}`);
    }

    const line = await waitFor(async () => {
      const out = expectOk(await server.kubectl(['get', 'sts', 'web', '-n', ns]), 'get sts');
      return out.split('\n').find((l) => /^web\s+3\/3\s/.test(l));
    }, { what: 'kubectl get sts web to show 3/3' });
    assert.match(line, /^web\s+3\/3\s+\S+$/);

    assert.deepEqual(await listNames(server, `/api/v1/namespaces/${ns}/persistentvolumeclaims`), ['www-web-0', 'www-web-1', 'www-web-2']);
  } finally {
    pods.stop();
  }
});

test('kubectl describe sts shows the upstream events for claims and pods', async () => {
  const ns = 'ordered';
  const out = await waitFor(async () => {
    const text = expectOk(await server.kubectl(['describe', 'sts', 'web', '-n', ns]), 'describe sts');
    return text.includes('create Pod web-2 in StatefulSet web successful') ? text : undefined;
  }, { what: 'describe to show the event for web-2' });
  for (let i = 0; i < 3; i++) {
    assert.match(out, new RegExp(`Normal\\s+SuccessfulCreate\\s+\\S+\\s+statefulset-controller\\s+create Claim www-web-${i} Pod web-${i} in StatefulSet web success\\n`));
    assert.match(out, new RegExp(`Normal\\s+SuccessfulCreate\\s+\\S+\\s+statefulset-controller\\s+create Pod web-${i} in StatefulSet web successful\\n`));
  }
  // The claim event precedes its pod's, as upstream creates claims first.
  assert.ok(out.indexOf('create Claim www-web-0') < out.indexOf('create Pod web-0'));
});
