// Catalogue row A3 (upstream e2e "should adopt matching orphans and release non-matching
// pods"): the controller re-adopts a pod whose ownerReference was removed, releases a pod
// whose labels stop matching, and adopts it again once they match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForSuite } from '../support/suite-server.js';
import { waitFor } from '../support/wait.js';

const APPS = '/apis/apps/v1/namespaces/default/statefulsets';
const PODS = '/api/v1/namespaces/default/pods';
const suite = serverForSuite({ extraArgs: ['--disable', 'scheduler,node'] });

const controllerOf = (pod: any) => (pod?.metadata?.ownerReferences ?? []).find((r: any) => r.controller);

async function jsonPatch(path: string, ops: unknown[]): Promise<void> {
  const res = await suite.api.request('PATCH', path, { body: ops, contentType: 'application/json-patch+json' });
  assert.equal(res.status, 200, res.text);
}

test('A3 adopt matching orphans and release non-matching pods', async () => {
  const set = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'ss' },
    spec: {
      replicas: 1,
      serviceName: 'test',
      selector: { matchLabels: { app: 'adopt' } },
      template: { metadata: { labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
    },
  };
  const created = await suite.api.post(APPS, set);
  assert.equal(created.status, 201);
  const uid = created.json.metadata.uid;
  const ownedBySet = async () => {
    const pod = (await suite.api.get(`${PODS}/ss-0`)).json;
    const ref = controllerOf(pod);
    return ref?.kind === 'StatefulSet' && ref.name === 'ss' && ref.uid === uid;
  };
  await waitFor(ownedBySet, { timeoutMs: 15_000, what: 'ss-0 created and owned' });

  // Orphan it: the controller adopts it back.
  await jsonPatch(`${PODS}/ss-0`, [{ op: 'remove', path: '/metadata/ownerReferences' }]);
  await waitFor(ownedBySet, { timeoutMs: 15_000, what: 'ss-0 re-adopted' });

  // Make it stop matching: the controller releases it.
  await jsonPatch(`${PODS}/ss-0`, [{ op: 'replace', path: '/metadata/labels', value: { app: 'elsewhere' } }]);
  await waitFor(async () => controllerOf((await suite.api.get(`${PODS}/ss-0`)).json) === undefined, { timeoutMs: 15_000, what: 'ss-0 released' });

  // Match again: adopted again, by the same set.
  const pod = (await suite.api.get(`${PODS}/ss-0`)).json;
  await jsonPatch(`${PODS}/ss-0`, [{ op: 'replace', path: '/metadata/labels', value: { ...pod.metadata.labels, app: 'adopt' } }]);
  await waitFor(ownedBySet, { timeoutMs: 15_000, what: 'ss-0 adopted again' });
});
