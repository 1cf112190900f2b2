// The node agent's pod lifecycle with the simulated runtime over a real in-memory Registry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '../../../src/api/errors.js';
import { waitFor } from '../../support/wait.js';
import { condition, getPod, waitPod, NODE, pod, podEvents, PODS, POD_CIDR, startHarness, type AgentHarness, type J } from './agent-fixture.js';

let h: AgentHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const create = (p: J) => h.cluster.client.create(PODS, 'default', p as never);

describe('node agent: pod lifecycle (simulated runtime)', () => {
  it('brings a bound pod to Running and Ready with upstream conditions, statuses and events', async () => {
    await create(pod('web'));
    const p = await waitPod(h, 'web', (p) => p.status.phase === 'Running' && condition(p, 'Ready')?.status === 'True', 'web Running and Ready', undefined, undefined);
    assert.deepEqual(p.status.conditions.map((c: J) => [c.type, c.status]), [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
    ]);
    const cs = p.status.containerStatuses[0];
    assert.equal(cs.name, 'app');
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.equal(cs.image, 'docker.io/library/nginx:latest');
    assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(cs.containerID, /^ordinal-simulated:\/\/[0-9a-f]{64}$/);
    assert.ok(cs.state.running?.startedAt);
    assert.deepEqual(cs.lastState, {});
    assert.equal(p.status.hostIP, '127.0.0.1');
    assert.deepEqual(p.status.hostIPs, [{ ip: '127.0.0.1' }]);
    assert.match(p.status.podIP, /^10\.77\./);
    assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
    assert.ok(p.status.startTime);
    assert.equal(p.status.qosClass, 'BestEffort');
    const events = (await waitFor(async () => {
      const evs = await podEvents(h, 'web');
      return evs.some((e) => e.reason === 'Started') ? evs : undefined;
    })) as J[];
    const byReason = Object.fromEntries(events.map((e) => [e.reason, e]));
    assert.equal(byReason.Pulled.message, 'Container image "nginx" already present on machine');
    assert.equal(byReason.Created.message, 'Created container: app');
    assert.equal(byReason.Started.message, 'Started container app');
    assert.deepEqual(byReason.Started.source, { component: 'kubelet', host: NODE });
    void POD_CIDR;
  });

  it('runs init containers to completion first (Init:0/1, then Running)', async () => {
    await create(pod('with-init', { initContainers: [{ name: 'setup', image: 'busybox', command: ['true'] }] }));
    const seenInit = await waitFor(async () => {
      const p = await getPod(h, 'with-init');
      const init = p.status.initContainerStatuses?.[0];
      return init?.state?.running && condition(p, 'Initialized')?.status === 'False' && p;
    }, { what: 'init container running', intervalMs: 10 });
    assert.equal(condition(seenInit, 'Initialized')?.reason, 'ContainersNotInitialized');
    assert.equal(condition(seenInit, 'Initialized')?.message, 'containers with incomplete status: [setup]');
    assert.equal(seenInit.status.phase, 'Pending');
    assert.deepEqual(seenInit.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
    const p = await waitPod(h, 'with-init', (p) => p.status.phase === 'Running' && condition(p, 'Ready')?.status === 'True', 'with-init Running', undefined, undefined);
    const init = p.status.initContainerStatuses[0];
    assert.equal(init.state.terminated.reason, 'Completed');
    assert.equal(init.state.terminated.exitCode, 0);
    assert.equal(init.ready, false);
    assert.equal(condition(p, 'Initialized')?.status, 'True');
  });

  it('restartPolicy Never and exit 1: the pod fails with reason Error', async () => {
    await create(pod('fails', { restartPolicy: 'Never' }, { 'ordinal.dev/simulate-exit-code': '1' }));
    const p = await waitPod(h, 'fails', (p) => p.status.phase === 'Failed', 'fails Failed', undefined, undefined);
    const t = p.status.containerStatuses[0].state.terminated;
    assert.equal(t.exitCode, 1);
    assert.equal(t.reason, 'Error');
    assert.equal(p.status.containerStatuses[0].restartCount, 0);
    assert.equal(condition(p, 'Ready')?.status, 'False');
  });

  it('exit 0 under restartPolicy OnFailure: the pod Succeeds (Completed)', async () => {
    await create(pod('job-like', { restartPolicy: 'OnFailure' }, { 'ordinal.dev/simulate-exit-code': '0' }));
    const p = await waitPod(h, 'job-like', (p) => p.status.phase === 'Succeeded', 'job-like Succeeded', undefined, undefined);
    assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'Completed');
    assert.equal(condition(p, 'Ready')?.reason, 'PodCompleted');
  });

  it('crash annotation: CrashLoopBackOff with a growing restart count', async () => {
    await create(pod('crasher', {}, { 'ordinal.dev/simulate-crash': 'true' }));
    const counts = new Set<number>();
    let sawBackOff: J | undefined;
    await waitFor(async () => {
      const p = await getPod(h, 'crasher');
      const cs = p.status.containerStatuses?.[0];
      if (cs) counts.add(cs.restartCount);
      if (cs?.state?.waiting?.reason === 'CrashLoopBackOff') sawBackOff = cs;
      return cs && cs.restartCount >= 3 && sawBackOff;
    }, { what: 'restartCount >= 3 through CrashLoopBackOff', timeoutMs: 20_000, intervalMs: 10 });
    assert.match(sawBackOff!.state.waiting.message, /^back-off \d+ms restarting failed container=app pod=crasher_default\(/);
    assert.equal(sawBackOff!.lastState.terminated.exitCode, 1);
    assert.ok([...counts].length >= 3, `restart counts seen: ${[...counts]}`);
    const p = await getPod(h, 'crasher');
    assert.equal(p.status.phase, 'Running');
    const evs = await waitFor(async () => (await podEvents(h, 'crasher')).find((e) => e.reason === 'BackOff'));
    assert.match(evs.message, /^Back-off restarting failed container app in pod crasher_default\(/);
    assert.equal(evs.type, 'Warning');
  });

  it('never-ready annotation: Running but not Ready for a 1.5 s window', async () => {
    await create(pod('shy', { containers: [{ name: 'app', image: 'nginx', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }] }, { 'ordinal.dev/simulate-never-ready': 'true' }));
    await waitFor(async () => (await getPod(h, 'shy')).status.phase === 'Running', { what: 'shy Running' });
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const p = await getPod(h, 'shy');
      assert.equal(condition(p, 'Ready')?.status, 'False');
      assert.equal(p.status.containerStatuses[0].ready, false);
      await new Promise((r) => setTimeout(r, 100));
    }
    const p = await getPod(h, 'shy');
    assert.equal(condition(p, 'ContainersReady')?.message, 'containers with unready status: [app]');
    assert.ok((await podEvents(h, 'shy')).some((e) => e.reason === 'Unhealthy' && /^Readiness probe failed: /.test(e.message)));
  });

  it('graceful deletion stops the containers, removes the sandbox and deletes the pod object', async () => {
    await create(pod('goner'));
    const before = await waitPod(h, 'goner', (p) => p.status.phase === 'Running');
    const uid = before.metadata.uid;
    assert.ok(h.runtime.listSandboxes().some((s) => s.podUid === uid));
    await h.cluster.client.delete(PODS, 'default', 'goner');
    await waitFor(async () => {
      try {
        await getPod(h, 'goner');
        return false;
      } catch (err) {
        return err instanceof StatusError && err.code === 404;
      }
    }, { what: 'goner deleted' });
    assert.ok(!h.runtime.listSandboxes().some((s) => s.podUid === uid));
    assert.ok((await podEvents(h, 'goner')).some((e) => e.reason === 'Killing' && e.message === 'Stopping container app'));
  });

  it('hostNetwork pods never reach the node: the API server refuses them (403)', async () => {
    await assert.rejects(create(pod('hostnet', { hostNetwork: true })), (err: unknown) => err instanceof StatusError && err.code === 403);
  });

  it('the node itself rejects host namespaces the API admits (hostPID): Failed, reason Forbidden', async () => {
    await create(pod('hostpid', { hostPID: true }));
    const p = await waitPod(h, 'hostpid', (p) => p.status.phase === 'Failed');
    assert.equal(p.status.reason, 'Forbidden');
    assert.match(p.status.message, /^Pod was rejected: .*hostPID=true/);
    assert.ok(!h.runtime.listSandboxes().some((s) => s.podUid === p.metadata.uid));
    assert.ok((await podEvents(h, 'hostpid')).some((e) => e.reason === 'Forbidden' && e.type === 'Warning'));
  });
});
