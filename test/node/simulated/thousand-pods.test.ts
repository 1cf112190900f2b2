// Scale: 1,000 simulated pods bound to one node all become Running and Ready. The time is
// printed, never asserted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../support/wait.js';
import { pod, PODS, startHarness, type AgentHarness, type J } from '../agent/agent-fixture.js';

const COUNT = 1000;
let h: AgentHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const isReady = (p: J) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c: J) => c.type === 'Ready' && c.status === 'True');

describe('simulated runtime at scale', () => {
  it(`${COUNT} pods become Running and Ready`, async () => {
    const started = Date.now();
    for (let i = 0; i < COUNT; i++) await h.cluster.client.create(PODS, 'default', pod(`p-${i}`) as never);
    const created = Date.now();
    let ready = 0;
    await waitFor(async () => {
      const list = await h.cluster.client.list(PODS, 'default');
      ready = (list.items as J[]).filter(isReady).length;
      return ready === COUNT;
    }, { what: `${COUNT} pods Ready`, timeoutMs: 180_000, intervalMs: 250 });
    const done = Date.now();
    console.log(`# ${COUNT} simulated pods: created in ${created - started} ms, all Running and Ready ${done - started} ms after the first create`);
    assert.equal(ready, COUNT);
    const ips = new Set(h.runtime.listSandboxes().map((s) => s.ip));
    assert.equal(ips.size, COUNT);
  });
});
