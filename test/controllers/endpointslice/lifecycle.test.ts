// What the controllers leave alone, what they never rewrite, what they repair, and what
// happens when a Service goes away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { waitFor } from '../../support/wait.js';
import { R, endpointsByPod, headlessService, node, poll, setPod, startCluster, waitEndpoints, waitSlices, type Cluster } from './harness.js';

const SVC = 'examplestatefulservice';

async function tutorialSet(c: Cluster): Promise<void> {
  await c.create(R.nodes, node('node-1'));
  await c.create(R.services, headlessService());
  for (let i = 0; i < 3; i++) {
    await c.create(R.pods, setPod(i));
    await c.setPodStatus(`examplestatefulset-${i}`, { ip: `10.244.0.${i + 20}`, ready: true });
  }
}

/** Watches a window and fails on the first change of the objects' resourceVersions. */
async function assertUnchangedFor(ms: number, read: () => Promise<string>, what: string): Promise<void> {
  const before = await read();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    assert.equal(await read(), before, `${what} changed`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a Service without a selector gets neither slices nor Endpoints, and its own Endpoints are left alone', async () => {
  const c = await startCluster();
  try {
    await c.create(R.nodes, node('node-1'));
    await c.create(R.pods, setPod(0));
    await c.setPodStatus('examplestatefulset-0', { ip: '10.244.0.5', ready: true });
    await c.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
    const manual = await c.create(R.endpoints, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'manual' },
      subsets: [{ addresses: [{ ip: '10.244.9.9' }], ports: [{ port: 80 }] }],
    });
    // A selector Service created afterwards proves the controllers are running.
    await c.create(R.services, headlessService());
    await waitSlices(c, SVC, (s) => endpointsByPod(s).size === 1, 'selector Service published');
    await assertUnchangedFor(
      300,
      async () => JSON.stringify([(await c.slices('manual')).length, (await c.tryGet(R.endpoints, 'manual'))?.metadata.resourceVersion]),
      'selectorless Service objects',
    );
    assert.equal((await c.slices('manual')).length, 0);
    assert.equal((await c.tryGet(R.endpoints, 'manual'))!.metadata.resourceVersion, manual.metadata.resourceVersion);
  } finally {
    await c.close();
  }
});

test('a resync that changes nothing writes nothing', async () => {
  const c = await startCluster();
  try {
    await tutorialSet(c);
    await waitSlices(c, SVC, (s) => endpointsByPod(s).size === 3, '3 endpoints');
    await waitEndpoints(c, SVC, (e) => JSON.stringify(e.subsets ?? []).split('"ip"').length === 4, '3 addresses');
    // Let the syncs caused by the controllers' own writes settle.
    await waitFor(
      async () => {
        const n = c.writes.length;
        await new Promise((r) => setTimeout(r, 200));
        return c.writes.length === n;
      },
      { ...poll, what: 'writes to settle' },
    );
    const settled = c.writes.length;
    const versions = async () => {
      const slices = await c.slices(SVC);
      const ep = await c.tryGet(R.endpoints, SVC);
      return JSON.stringify([slices.map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`).sort(), ep?.metadata.resourceVersion]);
    };
    const before = await versions();
    // Changes that touch neither addresses, readiness nor labels still queue the Service.
    const p = (await c.tryGet(R.pods, 'examplestatefulset-0'))!;
    p.metadata.annotations = { note: 'touched' };
    await c.client.update(R.pods, 'default', p);
    const svc = (await c.tryGet(R.services, SVC))!;
    svc.metadata.annotations = { note: 'touched' };
    await c.client.update(R.services, 'default', svc);
    await assertUnchangedFor(500, async () => String(c.writes.length), 'the number of writes');
    assert.deepEqual(c.writes.slice(settled), []);
    assert.equal(await versions(), before);
  } finally {
    await c.close();
  }
});

test('drift is repaired: a deleted slice comes back, an edited endpoint is restored', async () => {
  const c = await startCluster();
  try {
    await tutorialSet(c);
    const [first] = await waitSlices(c, SVC, (s) => endpointsByPod(s).size === 3, '3 endpoints');
    await c.client.delete(R.slices, 'default', first!.metadata.name!);
    const [again] = await waitSlices(c, SVC, (s) => s.length === 1 && s[0]!.metadata.uid !== first!.metadata.uid && endpointsByPod(s).size === 3, 'slice recreated');

    const edited = (await c.tryGet(R.slices, again!.metadata.name!))!;
    const eps = edited.endpoints as { conditions: { ready: boolean } }[];
    eps[0]!.conditions.ready = false;
    await c.client.update(R.slices, 'default', edited);
    await waitFor(async () => {
      const s = await c.tryGet(R.slices, again!.metadata.name!);
      return (s?.endpoints as { conditions: { ready: boolean } }[]).every((e) => e.conditions.ready);
    }, { ...poll, what: 'edited endpoint restored' });
    assert.equal((await c.slices(SVC)).length, 1);

    // Deleted Endpoints are recreated too.
    const ep = await waitEndpoints(c, SVC, () => true, 'Endpoints');
    await c.client.delete(R.endpoints, 'default', SVC);
    await waitEndpoints(c, SVC, (e) => e.metadata.uid !== ep.metadata.uid, 'Endpoints recreated');
  } finally {
    await c.close();
  }
});

test('deleting the Service: its slices go through the garbage collector, its Endpoints through the controller', async () => {
  const c = await startCluster({ gc: true });
  try {
    await tutorialSet(c);
    await waitSlices(c, SVC, (s) => endpointsByPod(s).size === 3, '3 endpoints');
    await waitEndpoints(c, SVC, () => true, 'Endpoints');
    await c.client.delete(R.services, 'default', SVC);
    await waitSlices(c, SVC, (s) => s.length === 0, 'slices garbage-collected');
    await waitFor(async () => (await c.tryGet(R.endpoints, SVC)) === undefined, { ...poll, what: 'Endpoints deleted' });
  } finally {
    await c.close();
  }
});

test('Endpoints left behind by a deleted Service are removed when the controller starts; leader locks are kept', async () => {
  const orphan = (name: string, annotations?: Record<string, string>): KObject => ({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    subsets: [{ addresses: [{ ip: '10.244.3.3' }] }],
  });
  const c = await startCluster({
    seed: async (client) => {
      await client.create(R.endpoints, 'default', orphan('gone'));
      await client.create(R.endpoints, 'default', orphan('lock', { 'control-plane.alpha.kubernetes.io/leader': '{}' }));
    },
  });
  try {
    await waitFor(async () => (await c.tryGet(R.endpoints, 'gone')) === undefined, { ...poll, what: 'orphaned Endpoints deleted' });
    assert.ok(await c.tryGet(R.endpoints, 'lock'));
  } finally {
    await c.close();
  }
});
