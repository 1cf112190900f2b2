// A failing liveness probe kills the container, which restarts under restartPolicy Always.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedRuntime } from '../../../src/node/runtime/simulated/simulated-runtime.js';
import { waitFor } from '../../support/wait.js';
import { pod, podEvents, PODS, startHarness, waitPod, type AgentHarness } from './agent-fixture.js';

/** A simulated runtime whose liveness checks always fail. */
class FailingLiveness extends SimulatedRuntime {
  override simulateProbe(sandboxId: string, containerName: string, kind: 'startup' | 'readiness' | 'liveness'): boolean {
    return kind === 'liveness' ? false : super.simulateProbe(sandboxId, containerName, kind);
  }
}

let h: AgentHarness;
before(async () => {
  h = await startHarness({}, {}, (o) => new FailingLiveness(o));
});
after(async () => {
  await h.close();
});

describe('liveness probe', () => {
  it('kills the container after failureThreshold failures; it restarts with restartCount 1', async () => {
    await h.cluster.client.create(PODS, 'default', pod('sick', {
      containers: [{ name: 'app', image: 'nginx', livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 1 } }],
    }) as never);
    const p = await waitPod(h, 'sick', (p) => p.status.containerStatuses?.[0]?.restartCount >= 1, 'sick restarted', 15_000);
    assert.equal(p.status.containerStatuses[0].lastState.terminated.exitCode, 143);
    const evs = await waitFor(async () => {
      const evs = await podEvents(h, 'sick');
      return evs.some((e) => e.reason === 'Killing') ? evs : undefined;
    });
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'Container app failed liveness probe, will be restarted'));
    assert.ok(evs.some((e) => e.reason === 'Unhealthy' && /^Liveness probe failed: /.test(e.message)));
  });
});
