// Scaling down removes the highest ordinal first, one at a time; deleting the set removes its
// pods and revisions (the garbage collector's cascade), while its claims stay unless the
// retention policy says whenDeleted: Delete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestServer } from '../../../support/server.js';
import { expectOk } from '../../../support/expect.js';
import { waitFor } from '../../../support/wait.js';
import { applySet, listNames, namespaceWithReadiness, startControllerServer, waitRolledOut } from './harness.js';

let server: TestServer;
before(async () => { server = await startControllerServer(); });
after(async () => { await server?.dispose(); });

const podsPath = (ns: string) => `/api/v1/namespaces/${ns}/pods`;
const claimsPath = (ns: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
const revisionsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/controllerrevisions`;

test('scale 3 → 1 removes ordinal 2, then ordinal 1', async () => {
  const ns = 'scale';
  const pods = await namespaceWithReadiness(server, ns);
  try {
    pods.setAuto(true);
    await applySet(server, { ns, replicas: 3 });
    await waitRolledOut(server, ns, 3);
    const mark = pods.events.length;
    expectOk(await server.kubectl(['scale', 'sts', 'web', '--replicas=1', '-n', ns]), 'scale');
    await waitRolledOut(server, ns, 1);
    await waitFor(async () => (await listNames(server, podsPath(ns))).join() === 'web-0', { what: 'only web-0 left' });
    const deleted = pods.events.slice(mark).filter((e) => e.type === 'DELETED').map((e) => e.name);
    assert.deepEqual(deleted, ['web-2', 'web-1']);
    // web-1 was not even marked for deletion before web-2 was gone.
    const web2Gone = pods.events.findIndex((e, i) => i >= mark && e.type === 'DELETED' && e.name === 'web-2');
    const web1Touched = pods.events.findIndex((e, i) => i >= mark && e.name === 'web-1' && (e.terminating || e.type === 'DELETED'));
    assert.ok(web2Gone < web1Touched, 'web-1 deleted only after web-2 was gone');
    // Retain (the default): the claims of the removed pods stay.
    assert.deepEqual(await listNames(server, claimsPath(ns)), ['www-web-0', 'www-web-1', 'www-web-2']);
  } finally {
    pods.stop();
  }
});

test('deleting the set removes its pods and revisions; claims stay under the default Retain policy', async () => {
  const ns = 'delete-retain';
  const pods = await namespaceWithReadiness(server, ns);
  try {
    pods.setAuto(true);
    await applySet(server, { ns, replicas: 2 });
    await waitRolledOut(server, ns, 2);
    assert.equal((await listNames(server, revisionsPath(ns))).length, 1);
    expectOk(await server.kubectl(['delete', 'sts', 'web', '-n', ns]), 'delete sts');
    await waitFor(async () => (await listNames(server, podsPath(ns))).length === 0, { timeoutMs: 20_000, what: 'pods gone' });
    await waitFor(async () => (await listNames(server, revisionsPath(ns))).length === 0, { timeoutMs: 20_000, what: 'revisions gone' });
    // The claims have no owner: nothing collects them, for as long as we watch.
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      assert.deepEqual(await listNames(server, claimsPath(ns)), ['www-web-0', 'www-web-1']);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    pods.stop();
  }
});

test('with whenDeleted: Delete, deleting the set removes its claims too', async () => {
  const ns = 'delete-claims';
  const pods = await namespaceWithReadiness(server, ns);
  try {
    pods.setAuto(true);
    await applySet(server, { ns, replicas: 2, whenDeleted: 'Delete' });
    await waitRolledOut(server, ns, 2);
    // Each claim is owned by the set (the ownerReference the retention policy asks for).
    await waitFor(async () => {
      const r = await server.api().get(claimsPath(ns));
      return (r.json.items as any[]).length === 2 && (r.json.items as any[]).every((c) =>
        c.metadata.ownerReferences?.some((o: any) => o.kind === 'StatefulSet' && o.name === 'web' && o.controller === true));
    }, { what: 'claims owned by the set' });
    expectOk(await server.kubectl(['delete', 'sts', 'web', '-n', ns]), 'delete sts');
    await waitFor(async () => (await listNames(server, podsPath(ns))).length === 0, { timeoutMs: 20_000, what: 'pods gone' });
    await waitFor(async () => (await listNames(server, claimsPath(ns))).length === 0, { timeoutMs: 20_000, what: 'claims gone' });
    await waitFor(async () => (await listNames(server, revisionsPath(ns))).length === 0, { timeoutMs: 20_000, what: 'revisions gone' });
  } finally {
    pods.stop();
  }
});
