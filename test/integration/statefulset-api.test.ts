// Catalogue rows S1, S2, S3, S5, S6 and S7 (upstream conformance e2e and #64023): StatefulSet collection
// operations, the status endpoints, and a set whose name is too long for its pods' labels.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForSuite } from '../support/suite-server.js';
import { waitFor } from '../support/wait.js';

const APPS = '/apis/apps/v1/namespaces/default/statefulsets';

function sts(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels },
    spec: {
      replicas: 1,
      serviceName: 'svc',
      selector: { matchLabels: { app: 'e2e' } },
      template: { metadata: { labels: { app: 'e2e' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
    },
  };
}

describe('StatefulSet API rows without controllers (S2, S3)', () => {
  const suite = serverForSuite({ extraArgs: ['--disable', 'statefulset,scheduler,node'] });

  test('S2 strategic-merge patch, list by label, delete the collection', async () => {
    assert.equal((await suite.api.post(APPS, sts('s2', { e2e: 'collection' }))).status, 201);
    const patch = { metadata: { labels: { patched: 'yes' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } };
    const patched = await suite.api.request('PATCH', `${APPS}/s2`, { body: patch, contentType: 'application/strategic-merge-patch+json' });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.spec.replicas, 2);
    assert.equal(patched.json.spec.template.spec.containers[0].image, 'nginx:2');
    const listed = await suite.api.get(`${APPS}?labelSelector=e2e%3Dcollection`);
    assert.deepEqual(listed.json.items.map((i: any) => i.metadata.name), ['s2']);
    assert.equal((await suite.api.delete(`${APPS}?labelSelector=e2e%3Dcollection`)).status, 200);
    assert.equal((await suite.api.get(`${APPS}?labelSelector=e2e%3Dcollection`)).json.items.length, 0);
  });

  test('S3 status endpoints: GET, update status, merge-patch status; both conditions seen by a watch', async () => {
    const created = await suite.api.post(APPS, sts('s3'));
    const w = await suite.api.watch(`${APPS}?watch=true&fieldSelector=metadata.name%3Ds3&resourceVersion=${created.json.metadata.resourceVersion}`);
    const got = await suite.api.get(`${APPS}/s3/status`);
    assert.equal(got.status, 200);
    assert.equal(got.json.metadata.name, 's3');
    const withCondition = { ...got.json, status: { ...got.json.status, conditions: [{ type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from an e2e test' }] } };
    const updated = await suite.api.put(`${APPS}/s3/status`, withCondition);
    assert.equal(updated.status, 200);
    const merge = { status: { conditions: [{ type: 'StatusPatched', status: 'True' }] } };
    const mp = await suite.api.request('PATCH', `${APPS}/s3/status`, { body: merge, contentType: 'application/merge-patch+json' });
    assert.equal(mp.status, 200);
    const condTypes = (e: any) => (e.object?.status?.conditions ?? []).map((c: any) => c.type);
    await waitFor(() => w.events.some((e) => condTypes(e).includes('StatusUpdate')) && w.events.some((e) => condTypes(e).includes('StatusPatched')), {
      timeoutMs: 10_000,
      what: 'both status conditions in the watch',
    });
    w.close();
  });
});

describe('StatefulSet scale and validation rows (S1, S5, S6)', () => {
  const suite = serverForSuite({ extraArgs: ['--disable', 'statefulset,scheduler,node'] });

  test('S1 the scale subresource: GET, PUT replicas 2, PATCH replicas 4', async () => {
    assert.equal((await suite.api.post(APPS, sts('s1'))).status, 201);
    const scale = await suite.api.get(`${APPS}/s1/scale`);
    assert.equal(scale.json.kind, 'Scale');
    assert.equal(scale.json.spec.replicas, 1);
    assert.equal(scale.json.status.selector, 'app=e2e');
    const put = await suite.api.put(`${APPS}/s1/scale`, { ...scale.json, spec: { replicas: 2 } });
    assert.equal(put.status, 200);
    assert.equal((await suite.api.get(`${APPS}/s1`)).json.spec.replicas, 2);
    const patch = await suite.api.request('PATCH', `${APPS}/s1/scale`, { body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json' });
    assert.equal(patch.json.spec.replicas, 4);
    assert.equal((await suite.api.get(`${APPS}/s1`)).json.spec.replicas, 4);
  });

  test('S5 immutable spec fields are Forbidden with the 1.33 message', async () => {
    const created = (await suite.api.post(APPS, sts('s5'))).json;
    for (const change of [{ serviceName: 'other' }, { podManagementPolicy: 'Parallel' }, { selector: { matchLabels: { app: 'e2e', x: 'y' } } }]) {
      const res = await suite.api.put(`${APPS}/s5`, { ...created, spec: { ...created.spec, ...change } });
      assert.equal(res.status, 422, JSON.stringify(change));
      assert.match(res.json.message, /spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', .*'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden/);
    }
  });

  test('S6 invalid sets are rejected with the right reasons and field paths', async () => {
    const cases: [string, (s: any) => void, string, string][] = [
      ['restartPolicy', (s) => (s.spec.template.spec.restartPolicy = 'OnFailure'), 'spec.template.spec.restartPolicy', 'FieldValueNotSupported'],
      ['activeDeadlineSeconds', (s) => (s.spec.template.spec.activeDeadlineSeconds = 5), 'spec.template.spec.activeDeadlineSeconds', 'FieldValueForbidden'],
      ['selector', (s) => (s.spec.selector = { matchLabels: { app: 'other' } }), 'spec.template.metadata.labels', 'FieldValueInvalid'],
      ['partition', (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }), 'spec.updateStrategy.rollingUpdate.partition', 'FieldValueInvalid'],
      ['replicas', (s) => (s.spec.replicas = -1), 'spec.replicas', 'FieldValueInvalid'],
    ];
    for (const [what, mutate, field, reason] of cases) {
      const body = sts(`s6-${what.toLowerCase()}`);
      mutate(body);
      const res = await suite.api.post(APPS, body);
      assert.equal(res.status, 422, what);
      assert.ok(
        (res.json.details.causes as any[]).some((c) => c.field === field && c.reason === reason),
        `${what}: ${JSON.stringify(res.json.details.causes)}`,
      );
    }
  });
});

describe('StatefulSet with a name too long for its pods (S7)', () => {
  const suite = serverForSuite({ extraArgs: ['--disable', 'scheduler,node'] });

  test('S7 the set is accepted; pod creation fails with the label-length error as a FailedCreate event', async () => {
    const name = 'a'.repeat(56);
    assert.equal((await suite.api.post(APPS, sts(name))).status, 201);
    let message = '';
    await waitFor(
      async () => {
        const evs = await suite.api.get('/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DStatefulSet');
        const failed = (evs.json.items as any[]).find((e) => e.reason === 'FailedCreate');
        message = failed?.message ?? '';
        return failed !== undefined;
      },
      { timeoutMs: 15_000, what: 'a FailedCreate event' },
    );
    assert.match(message, new RegExp(`^create Pod ${name}-0 in StatefulSet ${name} failed error: Pod "${name}-0" is invalid: .*metadata\\.labels: Invalid value: "${name}-[a-z0-9]+": must be no more than 63 characters`));
    assert.equal((await suite.api.get('/api/v1/namespaces/default/pods')).json.items.length, 0);
  });
});
