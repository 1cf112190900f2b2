// The garbage collector inside `ordinal up`, driven by the real kubectl: `kubectl delete` with
// the default (background), orphan and foreground cascades, on ConfigMaps owned by hand and on
// a StatefulSet whose pods, revisions and claims its controller made. No scheduler or node
// agent runs, so pods stay unscheduled and go at once when deleted.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../../../support/server.js';
import { expectLine, expectOk } from '../../../support/expect.js';
import { headlessService, statefulSet, writeManifest } from '../../../support/manifests.js';
import { waitFor } from '../../../support/wait.js';

let server: TestServer;
before(async () => {
  server = await startServer({ extraArgs: ['--disable', 'scheduler,node'] });
});
after(async () => {
  await server?.dispose();
});

function inNamespace(ns: string) {
  const k = (args: string[], stdin?: string) => server.kubectl(['-n', ns, ...args], { stdin });
  const getJson = async (what: string[]): Promise<any> => JSON.parse(expectOk(await k(['get', ...what, '-o', 'json']), `get ${what.join(' ')}`));
  const names = async (what: string): Promise<string[]> => (await getJson([what])).items.map((i: any) => i.metadata.name).sort();
  return { k, getJson, names };
}

async function createNamespace(ns: string): Promise<void> {
  expectOk(await server.kubectl(['create', 'namespace', ns]), `create namespace ${ns}`);
}

const CLAIM_TEMPLATES = `  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Retain
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;

/** Applies a 2-replica Parallel set and waits for the controller's pods, revision and claims. */
async function applySet(ns: string): Promise<any> {
  const { k, getJson, names } = inNamespace(ns);
  const file = writeManifest(server.workDir, `sts-${ns}.yaml`, `${headlessService(ns)}---\n${statefulSet({ ns, replicas: 2, extra: CLAIM_TEMPLATES })}`);
  expectOk(await k(['apply', '-f', file]), 'apply the set');
  const set = await getJson(['sts', 'web']);
  await waitFor(async () => (await names('pods')).join() === 'web-0,web-1', { what: 'pods web-0 and web-1', timeoutMs: 20_000 });
  await waitFor(async () => (await names('controllerrevisions')).length === 1, { what: 'one ControllerRevision', timeoutMs: 20_000 });
  await waitFor(async () => {
    const claims = (await getJson(['pvc'])).items as any[];
    return claims.length === 2 && claims.every((c) => (c.metadata.ownerReferences ?? []).some((r: any) => r.uid === set.metadata.uid));
  }, { what: 'both claims to carry an ownerReference to the set (whenDeleted: Delete)', timeoutMs: 20_000 });
  return set;
}

describe('kubectl delete and the garbage collector', () => {
  it('background (the default): ConfigMaps owned by a deleted ConfigMap go with it', async () => {
    const ns = 'gc-cm';
    await createNamespace(ns);
    const { k, names } = inNamespace(ns);
    expectOk(await k(['create', 'configmap', 'owner']), 'create owner');
    const uid = expectOk(await k(['get', 'cm', 'owner', '-o', 'jsonpath={.metadata.uid}']), 'owner uid').trim();
    const dependent = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: owner
    uid: ${uid}
data:
  k: v
`;
    expectOk(await k(['apply', '-f', '-'], `${dependent('dep-a')}---\n${dependent('dep-b')}`), 'apply dependents');
    expectLine(expectOk(await k(['delete', 'cm', 'owner']), 'delete owner'), 'configmap "owner" deleted', 'delete owner');
    await waitFor(async () => !(await names('cm')).some((n) => n.startsWith('dep-')), { what: 'the dependents to be collected' });
  });

  it('kubectl delete sts web: pods, revisions and (whenDeleted: Delete) claims go', async () => {
    const ns = 'gc-sts-background';
    await createNamespace(ns);
    await applySet(ns);
    const { k, names } = inNamespace(ns);
    expectLine(expectOk(await k(['delete', 'sts', 'web']), 'delete sts'), 'statefulset.apps "web" deleted', 'delete sts');
    await waitFor(async () => (await names('pods')).length === 0, { what: 'the pods to be collected', timeoutMs: 20_000 });
    await waitFor(async () => (await names('controllerrevisions')).length === 0, { what: 'the revisions to be collected', timeoutMs: 20_000 });
    await waitFor(async () => (await names('pvc')).length === 0, { what: 'the claims to be collected', timeoutMs: 20_000 });
  });

  it('--cascade=orphan: the set goes, its pods and revisions stay without ownerReferences', async () => {
    const ns = 'gc-sts-orphan';
    await createNamespace(ns);
    const set = await applySet(ns);
    const { k, getJson } = inNamespace(ns);
    expectLine(expectOk(await k(['delete', 'sts', 'web', '--cascade=orphan']), 'delete --cascade=orphan'), 'statefulset.apps "web" deleted', 'delete --cascade=orphan');
    // kubectl waited for the set to be gone, which needs the collector to drop the orphan finalizer.
    assert.equal((await k(['get', 'sts', 'web'])).code, 1, 'the set is gone');
    for (const what of ['pods', 'controllerrevisions', 'pvc']) {
      const items = (await getJson([what])).items as any[];
      assert.ok(items.length > 0, `${what} stay`);
      for (const item of items) {
        const refs = (item.metadata.ownerReferences ?? []).filter((r: any) => r.uid === set.metadata.uid);
        assert.deepEqual(refs, [], `${what}/${item.metadata.name} no longer refers to the set`);
      }
    }
  });

  it('--cascade=foreground: the set stays, deleting, until its pods are gone', async () => {
    const ns = 'gc-sts-foreground';
    await createNamespace(ns);
    await applySet(ns);
    const { k, getJson, names } = inNamespace(ns);
    // A finalizer keeps web-1 terminating, as a kubelet's grace period would.
    expectOk(await k(['patch', 'pod', 'web-1', '--type=merge', '-p', '{"metadata":{"finalizers":["test.ordinal.dev/hold"]}}']), 'hold web-1');
    expectOk(await k(['delete', 'sts', 'web', '--cascade=foreground', '--wait=false']), 'delete --cascade=foreground');
    await waitFor(async () => !(await names('pods')).includes('web-0'), { what: 'web-0 to be collected', timeoutMs: 20_000 });
    await waitFor(async () => (await getJson(['pod', 'web-1'])).metadata.deletionTimestamp, { what: 'web-1 to be terminating', timeoutMs: 20_000 });
    const waiting = await getJson(['sts', 'web']);
    assert.ok(waiting.metadata.deletionTimestamp, 'the set has a deletionTimestamp');
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    expectOk(await k(['patch', 'pod', 'web-1', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'release web-1');
    await waitFor(async () => (await k(['get', 'sts', 'web'])).code === 1, { what: 'the set to be gone', timeoutMs: 20_000 });
    assert.deepEqual(await names('pods'), []);
  });
});
