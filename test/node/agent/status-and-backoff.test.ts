// Pure pieces: the pod phase decision, CrashLoopBackOff timing, Go duration text, probe targets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashLoopBackoff, goDuration } from '../../../src/node/agent/crash-loop-backoff.js';
import { podPhase } from '../../../src/node/agent/status/pod-phase.js';
import { inCIDR, probeAddress } from '../../../src/node/agent/probes/probe-target.js';
import { normalizeImage } from '../../../src/node/agent/status/image-names.js';
import { admissionRefusal } from '../../../src/node/agent/pod-admission.js';

const running = (name: string) => ({ name, state: { running: { startedAt: 'x' } } });
const terminated = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });
const waitingAfter = (name: string, exitCode: number) => ({ name, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode } } });

describe('podPhase', () => {
  const spec = (restartPolicy: string, init = false) => ({ restartPolicy, containers: [{ name: 'a' }], ...(init ? { initContainers: [{ name: 'i' }] } : {}) });
  it('Pending until every container has a status; Running while one runs', () => {
    assert.equal(podPhase(spec('Always'), [], [], false), 'Pending');
    assert.equal(podPhase(spec('Always'), [], [running('a')], false), 'Running');
  });
  it('init containers keep it Pending; a failed one fails it only under Never', () => {
    assert.equal(podPhase(spec('Always', true), [running('i')], [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }], false), 'Pending');
    assert.equal(podPhase(spec('Never', true), [terminated('i', 1)], [], false), 'Failed');
    assert.equal(podPhase(spec('Always', true), [waitingAfter('i', 1)], [], false), 'Pending');
  });
  it('stopped containers: by restartPolicy and exit codes', () => {
    assert.equal(podPhase(spec('Always'), [], [terminated('a', 1)], false), 'Running');
    assert.equal(podPhase(spec('Always'), [], [waitingAfter('a', 1)], false), 'Running');
    assert.equal(podPhase(spec('Never'), [], [terminated('a', 1)], false), 'Failed');
    assert.equal(podPhase(spec('Never'), [], [terminated('a', 0)], false), 'Succeeded');
    assert.equal(podPhase(spec('OnFailure'), [], [terminated('a', 0)], false), 'Succeeded');
    assert.equal(podPhase(spec('OnFailure'), [], [waitingAfter('a', 2)], false), 'Running');
  });
  it('a pod torn down for good is Succeeded or Failed by exit codes, whatever its policy', () => {
    assert.equal(podPhase(spec('Always'), [], [terminated('a', 0)], true), 'Succeeded');
    assert.equal(podPhase(spec('Always'), [], [terminated('a', 137)], true), 'Failed');
  });
});

describe('CrashLoopBackoff', () => {
  it('restarts at once the first time, then waits base, 2×base, … up to max', () => {
    const b = new CrashLoopBackoff(10_000);
    assert.equal(b.maxMs, 300_000);
    let t = 1_000_000;
    assert.equal(b.remaining('k', t, t), 0);
    b.next('k', t);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      t += 1000;
      waits.push(b.remaining('k', t, t));
      t += b.remaining('k', t, t);
      b.next('k', t - b.current('k'));
    }
    assert.deepEqual(waits, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });
  it('resets after ten minutes of running', () => {
    const b = new CrashLoopBackoff(10_000);
    b.next('k', 0);
    b.next('k', 1000);
    assert.equal(b.current('k'), 20_000);
    const later = 1000 + 10 * 60_000 + 1;
    assert.equal(b.remaining('k', later, later), 0);
    b.next('k', later);
    assert.equal(b.current('k'), 10_000);
  });
  it('prints durations as Go does', () => {
    assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000, 20, 0, 1500].map(goDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s', '20ms', '0s', '1.5s']);
  });
});

describe('probe targets', () => {
  it('inCIDR', () => {
    assert.equal(inCIDR('10.77.3.4', '10.77.0.0/16'), true);
    assert.equal(inCIDR('10.78.0.1', '10.77.0.0/16'), false);
    assert.equal(inCIDR('8.8.8.8', undefined), false);
  });
  it('the pod IP by default; an address outside the pod and service CIDRs is refused without connecting', async () => {
    const ranges = { podCIDR: '10.77.0.0/16', serviceCIDR: '10.96.0.0/16', clusterDNS: '10.77.0.1' };
    assert.equal(await probeAddress(undefined, '10.77.0.5', ranges), '10.77.0.5');
    assert.equal(await probeAddress('10.96.0.10', '10.77.0.5', ranges), '10.96.0.10');
    await assert.rejects(probeAddress('1.1.1.1', '10.77.0.5', ranges), /outside the cluster's pod and service ranges/);
    await assert.rejects(probeAddress('127.0.0.1', '10.77.0.5', ranges), /outside/);
  });
});

describe('image names and node admission', () => {
  it('normalises image references as the CRI reports them', () => {
    assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImage('library/python:3.12'), 'docker.io/library/python:3.12');
    assert.equal(normalizeImage('k8s.gcr.io/nginx-slim:0.8'), 'k8s.gcr.io/nginx-slim:0.8');
    assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  });
  it('refuses host namespaces and privileged containers', () => {
    assert.equal(admissionRefusal({ metadata: {}, spec: { containers: [{ name: 'a' }] } }), undefined);
    assert.match(admissionRefusal({ metadata: {}, spec: { hostNetwork: true, containers: [] } })!.message, /hostNetwork=true/);
    assert.match(admissionRefusal({ metadata: {}, spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } })!.message, /container "a" must not set securityContext.privileged=true/);
  });
});
