// Start-up: the agent re-attaches to a surviving sandbox whose pod still exists (same uid),
// keeping its containers and restart counts, and removes every other sandbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedInformerFactory } from '../../../src/client/shared-informer-factory.js';
import { ClientEventRecorderFactory } from '../../../src/client/event-recorder.js';
import { startNodeAgent } from '../../../src/node/agent/node-agent.js';
import { SimulatedRuntime } from '../../../src/node/runtime/simulated/simulated-runtime.js';
import { memoryCluster } from '../../client/cluster.js';
import { makeTempDir, removeTempDir } from '../../support/temp.js';
import { waitFor } from '../../support/wait.js';
import { NODE, pod, PODS, type J } from './agent-fixture.js';

describe('node agent start-up', () => {
  it('re-attaches to sandboxes of existing pods and removes the others', async () => {
    const cluster = memoryCluster();
    const dataDir = makeTempDir('ordinal-agent-');
    const runtime = new SimulatedRuntime({ podCIDR: '10.78.0.0/16', sandboxDelayMs: 1, startDelayMs: 1 });
    const informers = new SharedInformerFactory(cluster.client);
    const events = new ClientEventRecorderFactory(cluster.client, { log: () => {} });
    let agent: ReturnType<typeof startNodeAgent> | undefined;
    try {
      const created = (await cluster.client.create(PODS, 'default', pod('kept') as never)) as J;
      const uid = created.metadata.uid;
      const keep = await runtime.runSandbox({ podUid: uid, namespace: 'default', name: 'kept', hostname: 'kept', hostsFile: '', resolvConf: '', annotations: {} });
      const running = await runtime.startContainer(keep.id, { name: 'app', argv: ['nginx'], env: [], workingDir: '/', mounts: [], tty: false, stdin: false, stdinOnce: false, attempt: 2 });
      const stale = await runtime.runSandbox({ podUid: 'no-such-pod', namespace: 'default', name: 'old', hostname: 'old', hostsFile: '', resolvConf: '', annotations: {} });
      // What the previous agent had written before it went away.
      await cluster.client.updateStatus(PODS, 'default', {
        ...created,
        status: { ...created.status, phase: 'Running', containerStatuses: [{ name: 'app', image: 'docker.io/library/nginx:latest', imageID: '', ready: true, started: true, restartCount: 2, state: { running: { startedAt: '2025-01-01T00:00:00Z' } }, lastState: {}, containerID: `ordinal-simulated://${running.state === 'running' ? running.containerId : ''}` }] },
      } as never);

      agent = startNodeAgent(
        { client: cluster.client, informers, events, now: () => new Date(), options: {} },
        { nodeName: NODE, runtime, nodeIP: '127.0.0.1', clusterDNS: '10.78.0.1', clusterDomain: 'cluster.local', podCIDR: '10.78.0.0/16', dataDir, log: () => {} },
      );
      await agent.ready;
      assert.deepEqual(runtime.listSandboxes().map((s) => s.id), [keep.id]);
      assert.equal(stale.podUid, 'no-such-pod');
      const p = (await waitFor(async () => {
        const p = (await cluster.client.get(PODS, 'default', 'kept')) as J;
        const cs = p.status.containerStatuses?.[0];
        return p.status.podIP === keep.ip && cs?.ready && p;
      }, { what: 'kept re-attached' })) as J;
      const cs = p.status.containerStatuses[0];
      assert.equal(cs.restartCount, 2);
      assert.equal(cs.containerID, `ordinal-simulated://${running.state === 'running' ? running.containerId : ''}`);
      assert.equal(runtime.listSandboxes().length, 1);
    } finally {
      await agent?.stop();
      informers.stop();
      await events.flush();
      cluster.close();
      removeTempDir(dataDir);
    }
  });
});
