// Property-based tests: random sequences of scaling, template changes, partition changes,
// readiness flips, pod deletions and failures, with syncs in between. The controller's
// ordering guarantees are checked at the moment of every create and delete it issues, and
// the status against the pods after every sync that left the pods alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KObject } from '../../../src/api/object.js';
import { FakeCluster, newSet, ordinal, isReady, revisionOf } from './fake-cluster.js';

type Cmd =
  | { kind: 'scale'; n: number }
  | { kind: 'image'; image: string }
  | { kind: 'partition'; p: number }
  | { kind: 'ready'; ord: number; ready: boolean }
  | { kind: 'delete'; ord: number }
  | { kind: 'fail'; ord: number; phase: 'Failed' | 'Succeeded' }
  | { kind: 'reap' }
  | { kind: 'readyAll' }
  | { kind: 'settle' }
  | { kind: 'sync'; times: number };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('scale' as const), n: fc.integer({ min: 0, max: 6 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('image' as const), image: fc.constantFrom('a', 'b', 'c') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('partition' as const), p: fc.integer({ min: 0, max: 6 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('ready' as const), ord: fc.integer({ min: 0, max: 7 }), ready: fc.boolean() }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), ord: fc.integer({ min: 0, max: 7 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), ord: fc.integer({ min: 0, max: 7 }), phase: fc.constantFrom('Failed' as const, 'Succeeded' as const) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reap' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'readyAll' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'settle' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), times: fc.integer({ min: 1, max: 3 }) }), weight: 6 },
);

interface Setup {
  policy: 'OrderedReady' | 'Parallel';
  strategy: 'RollingUpdate' | 'OnDelete';
  replicas: number;
  partition: number;
  start: number;
  maxUnavailableOption: boolean;
  maxUnavailable: number;
  graceful: boolean;
}

const setupArb: fc.Arbitrary<Setup> = fc.record({
  policy: fc.constantFrom('OrderedReady' as const, 'OrderedReady' as const, 'Parallel' as const),
  strategy: fc.constantFrom('RollingUpdate' as const, 'RollingUpdate' as const, 'OnDelete' as const),
  replicas: fc.integer({ min: 0, max: 5 }),
  partition: fc.integer({ min: 0, max: 3 }),
  start: fc.constantFrom(0, 0, 2),
  maxUnavailableOption: fc.boolean(),
  maxUnavailable: fc.integer({ min: 1, max: 3 }),
  graceful: fc.constantFrom(true, true, false),
});

function spec(c: FakeCluster): Record<string, any> {
  return c.set.spec as Record<string, any>;
}

function range(c: FakeCluster): { start: number; end: number } {
  const start = spec(c).ordinals?.start ?? 0;
  return { start, end: start + spec(c).replicas - 1 };
}

function phase(p: KObject): string {
  return (p.status as { phase?: string } | undefined)?.phase ?? '';
}

// A fixed seed keeps CI repeatable; FC_SEED=<n> explores other histories.
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261128;

function podAt(c: FakeCluster, ord: number): KObject | undefined {
  return c.pods.get(`web-${ord}`);
}

/** Installs the create/delete observers that check the ordering invariants as they happen. */
function watchInvariants(c: FakeCluster, setup: Setup, violations: string[]): { createdThisSync: KObject[] } {
  const tracker = { createdThisSync: [] as KObject[] };
  c.beforeCreate = (pod) => {
    const ord = ordinal(pod.metadata.name!);
    tracker.createdThisSync.push(pod);
    if (setup.policy === 'OrderedReady') {
      const { start } = range(c);
      for (let j = start; j < ord; j++) {
        const p = podAt(c, j);
        if (!p || !isReady(p)) violations.push(`created web-${ord} while web-${j} is ${p ? `${phase(p)}/${isReady(p) ? 'ready' : 'not ready'}` : 'missing'}`);
      }
    }
  };
  c.beforeDelete = (name) => {
    const ord = ordinal(name);
    const { start, end } = range(c);
    const victim = c.pods.get(name)!;
    const condemned = ord < start || ord > end;
    if (setup.policy === 'OrderedReady' && condemned) {
      const highest = Math.max(...[...c.pods.keys()].map(ordinal));
      if (ord !== highest) violations.push(`scale-down deleted web-${ord} while web-${highest} exists`);
      // A Failed or Succeeded pod is deleted for being broken, not by the scale-down: upstream's
      // processCondemned goes on past it (only a healthy terminating condemned pod blocks).
      const terminating = [...c.pods.values()]
        .filter((p) => p.metadata.deletionTimestamp && phase(p) !== 'Failed' && phase(p) !== 'Succeeded')
        .map((p) => p.metadata.name);
      if (terminating.length > 0) violations.push(`scale-down deleted web-${ord} while ${terminating.join(',')} terminating`);
    }
    const broken = phase(victim) === 'Failed' || phase(victim) === 'Succeeded';
    if (!condemned && !broken) {
      // An update-phase deletion.
      if (spec(c).updateStrategy.type === 'OnDelete') violations.push(`OnDelete set deleted web-${ord}`);
      const partition = spec(c).updateStrategy.rollingUpdate?.partition ?? 0;
      if (ord < start + partition) violations.push(`update deleted web-${ord} below partition ${partition}`);
      if (c.maxUnavailableOption && setup.policy === 'OrderedReady') {
        const max = spec(c).updateStrategy.rollingUpdate?.maxUnavailable ?? 1;
        let unavailable = 0;
        for (let j = start; j <= end; j++) {
          const p = podAt(c, j);
          if (!p || !isReady(p)) unavailable++;
        }
        if (unavailable >= max) violations.push(`update deleted web-${ord} with ${unavailable} unavailable (max ${max})`);
      }
    }
  };
  return tracker;
}

function checkStatus(c: FakeCluster, violations: string[], step: string): void {
  const s = c.status();
  const pods = [...c.pods.values()];
  const newest = [...c.revisions.values()].sort((a, b) => (a.revision as number) - (b.revision as number)).at(-1);
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const expect = {
    replicas: pods.length,
    readyReplicas: pods.filter((p) => phase(p) === 'Running' && (p.status as any).conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length,
    updatedReplicas: live.filter((p) => revisionOf(p) === s.updateRevision).length,
    currentReplicas: live.filter((p) => revisionOf(p) === s.currentRevision).length,
  };
  const got = { replicas: s.replicas ?? 0, readyReplicas: s.readyReplicas ?? 0, updatedReplicas: s.updatedReplicas ?? 0, currentReplicas: s.currentReplicas ?? 0 };
  if (JSON.stringify(got) !== JSON.stringify(expect)) violations.push(`${step}: status ${JSON.stringify(got)} but pods give ${JSON.stringify(expect)}`);
  if ((s.availableReplicas ?? 0) !== expect.readyReplicas) violations.push(`${step}: availableReplicas ${s.availableReplicas} with minReadySeconds 0 and ${expect.readyReplicas} ready`);
  if (newest && s.updateRevision !== newest.metadata.name) violations.push(`${step}: updateRevision ${s.updateRevision} is not the newest revision ${newest.metadata.name}`);
  const ords = pods.map((p) => ordinal(p.metadata.name!));
  if (new Set(ords).size !== ords.length) violations.push(`${step}: two pods share an ordinal`);
}

async function runScenario(setup: Setup, cmds: Cmd[]): Promise<string[]> {
  const c = new FakeCluster(newSet({
    replicas: setup.replicas, policy: setup.policy, strategy: setup.strategy, partition: setup.partition,
    start: setup.start, maxUnavailable: setup.maxUnavailable, claims: ['www'], image: 'a',
  }));
  c.graceful = setup.graceful;
  c.maxUnavailableOption = setup.maxUnavailableOption;
  const violations: string[] = [];
  const tracker = watchInvariants(c, setup, violations);
  const observedSync = async (step: string): Promise<void> => {
    tracker.createdThisSync = [];
    const writes = c.writes.length;
    await c.sync();
    const podWrites = c.writes.slice(writes).filter((w) => w.op === 'createPod' || w.op === 'deletePod' || w.op === 'updatePod');
    // Below the partition a created pod is on the current revision (unless the two coincide).
    const partition = spec(c).updateStrategy.rollingUpdate?.partition;
    if (partition !== undefined) {
      const s = c.status();
      for (const p of tracker.createdThisSync) {
        if (ordinal(p.metadata.name!) < range(c).start + partition && s.currentRevision !== s.updateRevision && revisionOf(p) === s.updateRevision) {
          violations.push(`${step}: ${p.metadata.name} created below partition ${partition} on the update revision`);
        }
      }
    }
    if (podWrites.length === 0) checkStatus(c, violations, step);
  };
  let stepNo = 0;
  for (const cmd of cmds) {
    stepNo++;
    const step = `step ${stepNo} ${JSON.stringify(cmd)}`;
    switch (cmd.kind) {
      case 'scale': c.scale(cmd.n); break;
      case 'image': c.setImage(cmd.image); break;
      case 'partition':
        if (spec(c).updateStrategy.type === 'RollingUpdate') c.updateSpec((s) => { s.updateStrategy.rollingUpdate.partition = cmd.p; });
        break;
      case 'ready': {
        const p = podAt(c, cmd.ord);
        if (p && !p.metadata.deletionTimestamp && ['Pending', 'Running'].includes(phase(p))) {
          if (cmd.ready) c.makeReady(p.metadata.name!); else c.makeNotReady(p.metadata.name!);
        }
        break;
      }
      case 'delete': if (podAt(c, cmd.ord)) c.removePod(`web-${cmd.ord}`); break;
      case 'fail': if (podAt(c, cmd.ord)) c.setPhase(`web-${cmd.ord}`, cmd.phase); break;
      case 'reap': c.reap(); break;
      case 'readyAll': c.readyAll(); break;
      case 'sync':
        for (let i = 0; i < cmd.times; i++) await observedSync(step);
        break;
      case 'settle':
        // Syncs with every pod made Ready and every deletion completed in between, until
        // nothing changes: reaches the states (many Ready pods) the ordering rules are about.
        for (let i = 0; i < 40; i++) {
          const before = c.writes.length;
          await observedSync(step);
          c.reap();
          c.readyAll();
          if (c.writes.length === before) break;
        }
        break;
    }
    if (violations.length > 0) return violations;
  }
  return violations;
}

test('properties: ordering, partition, maxUnavailable and status invariants hold over random histories', async () => {
  await fc.assert(
    fc.asyncProperty(setupArb, fc.array(cmdArb, { minLength: 1, maxLength: 30 }), async (setup, cmds) => {
      const violations = await runScenario(setup, cmds);
      assert.deepEqual(violations, []);
    }),
    { numRuns: 300, seed: SEED },
  );
});

test('properties: a history that ends with everything Ready converges to the spec', async () => {
  await fc.assert(
    fc.asyncProperty(setupArb, fc.array(cmdArb, { minLength: 1, maxLength: 20 }), async (setup, cmds) => {
      // Only RollingUpdate with partition 0 converges every pod to the template.
      const s = { ...setup, strategy: 'RollingUpdate' as const, partition: 0 };
      const violations = await runScenario(s, cmds.filter((c) => c.kind !== 'partition'));
      assert.deepEqual(violations, []);
      // Drive to completion: pods Ready, deletions complete.
      const c = new FakeCluster(newSet({ replicas: s.replicas, policy: s.policy, partition: 0, start: s.start, image: 'a' }));
      c.maxUnavailableOption = s.maxUnavailableOption;
      for (const cmd of cmds) if (cmd.kind === 'scale') c.scale(cmd.n); else if (cmd.kind === 'image') c.setImage(cmd.image);
      await c.converge(100);
      const want = spec(c).template.spec.containers[0].image;
      for (const p of c.pods.values()) assert.equal((p.spec as any).containers[0].image, want);
      assert.equal(c.status().currentRevision, c.status().updateRevision);
    }),
    { numRuns: 50, seed: SEED },
  );
});
