// The simulated runtime on its own: addresses from the pod CIDR, annotations, refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ipam } from '../../../src/node/runtime/simulated/ipam.js';
import { SimulatedRuntime } from '../../../src/node/runtime/simulated/simulated-runtime.js';
import type { ContainerExit } from '../../../src/node/runtime/types.js';
import { waitFor } from '../../support/wait.js';

const sandboxCfg = (annotations: Record<string, string> = {}) => ({ podUid: 'u', namespace: 'd', name: 'p', hostname: 'p', hostsFile: '', resolvConf: '', annotations });
const container = (name = 'c', init = false) => ({ name, argv: ['x'], env: [], workingDir: '/', mounts: [], tty: false, stdin: false, stdinOnce: false, attempt: 0, init });

describe('Ipam', () => {
  it('hands out host addresses in order, skipping network and gateway, and reuses released ones', () => {
    const ipam = new Ipam('10.5.0.0/30');
    assert.equal(ipam.allocate(), '10.5.0.2');
    assert.throws(() => ipam.allocate(), /exhausted/);
    ipam.release('10.5.0.2');
    assert.equal(ipam.allocate(), '10.5.0.2');
    assert.throws(() => new Ipam('bogus'), /invalid pod CIDR/);
  });
});

describe('SimulatedRuntime', () => {
  it('runs containers, completes init containers, and releases addresses', async () => {
    const rt = new SimulatedRuntime({ podCIDR: '10.9.0.0/24', sandboxDelayMs: 1, startDelayMs: 1, runMs: 20 });
    const exits: ContainerExit[] = [];
    rt.onContainerExit((e) => exits.push(e));
    const sb = await rt.runSandbox(sandboxCfg());
    assert.equal(sb.ip, '10.9.0.2');
    assert.equal((await rt.startContainer(sb.id, container('main'))).state, 'running');
    await rt.startContainer(sb.id, container('init', true));
    await waitFor(() => exits.some((e) => e.containerName === 'init' && e.state.exitCode === 0 && e.state.reason === 'Completed'));
    assert.equal(rt.containerState(sb.id, 'main')?.state, 'running');
    assert.equal(rt.simulateProbe(sb.id, 'main', 'readiness'), true);
    await rt.stopContainer(sb.id, 'main', 30);
    const st = rt.containerState(sb.id, 'main');
    assert.equal(st?.state === 'exited' && st.exitCode, 143);
    await rt.removeSandbox(sb.id);
    assert.equal(rt.listSandboxes().length, 0);
    assert.equal(rt.allocatedAddresses, 0);
    await rt.close();
  });

  it('annotations: crash exits 1, exit-code exits N, never-ready fails readiness only', async () => {
    const rt = new SimulatedRuntime({ podCIDR: '10.9.0.0/24', sandboxDelayMs: 1, startDelayMs: 1, runMs: 10 });
    const exits: ContainerExit[] = [];
    rt.onContainerExit((e) => exits.push(e));
    const crash = await rt.runSandbox(sandboxCfg({ 'ordinal.dev/simulate-crash': 'true' }));
    const code = await rt.runSandbox(sandboxCfg({ 'ordinal.dev/simulate-exit-code': '7' }));
    const shy = await rt.runSandbox(sandboxCfg({ 'ordinal.dev/simulate-never-ready': 'true' }));
    await rt.startContainer(crash.id, container());
    await rt.startContainer(code.id, container());
    await waitFor(() => exits.length === 2);
    assert.deepEqual(exits.map((e) => [e.sandboxId, e.state.exitCode, e.state.reason]).sort(), [[crash.id, 1, 'Error'], [code.id, 7, 'Error']].sort());
    assert.equal(rt.simulateProbe(shy.id, 'c', 'readiness'), false);
    assert.equal(rt.simulateProbe(shy.id, 'c', 'liveness'), true);
    await assert.rejects(rt.exec(shy.id, 'c', ['sh'], { tty: false }), /runs no processes/);
    await assert.rejects(rt.dial(shy.id, 80), /runs no processes/);
    await rt.close();
  });
});
