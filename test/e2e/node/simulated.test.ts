// The simulated runtime through the real `ordinal up`: 1,000 pods created through the API all
// become Running and Ready, and pods annotated to misbehave do so. Observation window: once
// the agent has seen an annotated pod (its status reports the container running, or a
// restart), the test watches it for WINDOW_MS: a never-ready pod stays Running and unready for
// the whole window; a crashing pod's restartCount grows and it shows CrashLoopBackOff.
// No traffic is ever sent to a simulated pod.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { condition, isReady, type J } from './support.js';

const COUNT = 1000;
const WINDOW_MS = 5000;
const NEVER_READY = 'ordinal.dev/simulate-never-ready';
const CRASH = 'ordinal.dev/simulate-crash';
const NS = 'default';

let s: TestServer | undefined;
const server = (): TestServer => {
  if (!s) throw new Error('no server');
  return s;
};

function pod(name: string, annotations: Record<string, string> = {}): J {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name.replace(/-\d+$/, '') }, annotations },
    spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '100000'] }] },
  };
}

async function createAll(pods: J[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < pods.length) {
      const p = pods[next++];
      const r = await server().api().post(`/api/v1/namespaces/${NS}/pods`, p);
      if (r.status !== 201) throw new Error(`create ${p.metadata.name}: ${r.status} ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function listPods(selector: string): Promise<J[]> {
  const r = await server().api().get(`/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(selector)}`, { timeoutMs: 60_000 });
  if (r.status !== 200) throw new Error(`list: ${r.status} ${r.text}`);
  return r.json.items as J[];
}

describe('simulated runtime end to end', () => {
  before(async () => {
    s = await startServer({ runtime: 'simulated', extraArgs: ['--crashloop-base', '1s'] });
  });
  after(async () => {
    await s?.dispose();
  });

  test(`${COUNT} pods become Running and Ready`, async () => {
    const t0 = Date.now();
    await createAll(Array.from({ length: COUNT }, (_, i) => pod(`bulk-${i}`)));
    const created = Date.now();
    let ready = 0;
    await waitFor(async () => {
      ready = (await listPods('app=bulk')).filter(isReady).length;
      return ready === COUNT;
    }, { what: `${COUNT} pods Ready (last count ${ready})`, timeoutMs: 120_000, intervalMs: 500 });
    console.log(`# ${COUNT} simulated pods via ordinal up: created in ${created - t0} ms, all Running and Ready after ${Date.now() - t0} ms`);
    const items = await listPods('app=bulk');
    assert.equal(new Set(items.map((p) => p.status.podIP)).size, COUNT, 'distinct pod IPs');
  });

  test(`annotated pods stay unready or crash, watched for ${WINDOW_MS} ms after the agent has seen them`, async () => {
    await createAll([
      ...[0, 1, 2].map((i) => pod(`unready-${i}`, { [NEVER_READY]: 'true' })),
      ...[0, 1, 2].map((i) => pod(`crashy-${i}`, { [CRASH]: 'true' })),
    ]);
    // Seen by the agent: the container reports running (never-ready) or has restarted once.
    await waitFor(async () => (await listPods('app=unready')).every((p) => p.status?.containerStatuses?.[0]?.state?.running), {
      what: 'never-ready pods running', timeoutMs: 20_000, intervalMs: 100,
    });
    const restarts = async () => new Map((await listPods('app=crashy')).map((p) => [p.metadata.name, p.status?.containerStatuses?.[0]?.restartCount ?? 0]));
    await waitFor(async () => [...(await restarts()).values()].every((n) => n >= 1), { what: 'crashing pods restarted once', timeoutMs: 20_000, intervalMs: 100 });
    const start = await restarts();
    const crashLoopSeen = new Set<string>();
    const end = Date.now() + WINDOW_MS;
    while (Date.now() < end) {
      for (const p of await listPods('app=unready')) {
        assert.equal(p.status.phase, 'Running', `${p.metadata.name} phase`);
        assert.equal(condition(p, 'Ready'), 'False', `${p.metadata.name} never Ready`);
        assert.equal(p.status.containerStatuses[0].ready, false);
        assert.equal(p.status.containerStatuses[0].restartCount, 0, `${p.metadata.name} does not crash`);
      }
      for (const p of await listPods('app=crashy')) {
        // Between crashes the container runs (and, without a probe, is ready for that moment).
        if (p.status.containerStatuses[0].state?.waiting?.reason === 'CrashLoopBackOff') {
          crashLoopSeen.add(p.metadata.name);
          assert.equal(condition(p, 'Ready'), 'False', `${p.metadata.name} unready while backing off`);
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const endCounts = await restarts();
    for (const [name, n] of start) {
      assert.ok((endCounts.get(name) ?? 0) > n, `${name}: restartCount ${n} -> ${endCounts.get(name)} within ${WINDOW_MS} ms`);
    }
    assert.deepEqual([...crashLoopSeen].sort(), ['crashy-0', 'crashy-1', 'crashy-2']);
    const last = (await listPods('app=crashy'))[0].status.containerStatuses[0];
    assert.equal(last.lastState.terminated.exitCode, 1);
  });
});
