// Rolling updates with the real kubectl: a partition limits the update to the ordinals at
// and above it; lowering it lets the rest follow, highest first; `rollout status`, `history`,
// `undo` (reusing the old ControllerRevision with a bumped number) and `restart`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestServer } from '../../../support/server.js';
import { expectMatch, expectOk } from '../../../support/expect.js';
import { waitFor } from '../../../support/wait.js';
import { IMAGE_A, IMAGE_B, applySet, getSet, namespaceWithReadiness, revisions, startControllerServer, waitRolledOut } from './harness.js';
import type { PodReadiness } from './pod-readiness.js';

const ns = 'rolling';
let server: TestServer;
let pods: PodReadiness;
before(async () => {
  server = await startControllerServer();
  pods = await namespaceWithReadiness(server, ns);
  pods.setAuto(true);
});
after(async () => {
  pods?.stop();
  await server?.dispose();
});

const kubectl = async (args: string[], what: string) => expectOk(await server.kubectl([...args, '-n', ns]), what);
const imageOf = (name: string) => pods.pods.get(name)?.spec.containers[0].image;
const revisionOf = (name: string) => pods.pods.get(name)?.metadata.labels['controller-revision-hash'];

async function waitPodsOn(image: string, names: string[]): Promise<void> {
  await waitFor(() => names.every((n) => {
    const p = pods.pods.get(n);
    return p && !p.metadata.deletionTimestamp && p.spec.containers[0].image === image && p.status?.phase === 'Running';
  }), { timeoutMs: 30_000, what: `${names.join(',')} running ${image}` });
}

let firstRevision = '';
let secondRevision = '';

test('setup: 3 replicas rolled out; rollout status exits 0', async () => {
  await applySet(server, { ns, replicas: 3 });
  const set = await waitRolledOut(server, ns, 3);
  firstRevision = set.status.updateRevision;
  assert.match(firstRevision, /^web-[4-9bcdf]{1,10}$/);
  const out = await kubectl(['rollout', 'status', 'sts/web', '--timeout=30s'], 'rollout status');
  assert.match(out, /partitioned roll out complete|roll out complete/);
});

test('an image change with partition 2 updates only ordinal 2', async () => {
  await kubectl(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'], 'set partition 2');
  const mark = pods.events.length;
  await kubectl(['set', 'image', 'sts/web', `nginx=${IMAGE_B}`], 'set image');
  await waitPodsOn(IMAGE_B, ['web-2']);
  const set = await waitFor(async () => {
    const s = await getSet(server, ns);
    return s.status.updatedReplicas === 1 && s.status.readyReplicas === 3 ? s : undefined;
  }, { what: 'status updatedReplicas 1, readyReplicas 3' });
  secondRevision = set.status.updateRevision;
  assert.notEqual(secondRevision, firstRevision);
  assert.equal(set.status.currentRevision, firstRevision);
  // Below the partition nothing moves, for as long as we watch.
  await pods.expectNone((e) => e.type === 'DELETED' && (e.name === 'web-0' || e.name === 'web-1'), 1000, 'pods below the partition');
  assert.deepEqual([imageOf('web-0'), imageOf('web-1'), imageOf('web-2')], [IMAGE_A, IMAGE_A, IMAGE_B]);
  assert.deepEqual([revisionOf('web-0'), revisionOf('web-1'), revisionOf('web-2')], [firstRevision, firstRevision, secondRevision]);
  assert.deepEqual(pods.events.slice(mark).filter((e) => e.type === 'DELETED').map((e) => e.name), ['web-2']);
  // kubectl reports a partitioned rollout as complete.
  const status = await kubectl(['rollout', 'status', 'sts/web', '--timeout=30s'], 'rollout status (partitioned)');
  assert.match(status, /partitioned roll out complete: 1 new pods have been updated/);
});

test('lowering the partition to 0 updates the rest, highest first; rollout status exits 0 once complete', async () => {
  const mark = pods.events.length;
  await kubectl(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}'], 'partition 0');
  const status = await kubectl(['rollout', 'status', 'sts/web', '--timeout=60s'], 'rollout status');
  // kubectl words every set that carries a rollingUpdate block as "partitioned".
  assert.match(status, /partitioned roll out complete: 3 new pods have been updated/);
  await waitPodsOn(IMAGE_B, ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(pods.events.slice(mark).filter((e) => e.type === 'DELETED').map((e) => e.name), ['web-1', 'web-0']);
  const set = await waitRolledOut(server, ns, 3);
  assert.equal(set.status.currentRevision, secondRevision);
});

test('rollout history lists the revisions and --revision=N shows the template', async () => {
  const out = await kubectl(['rollout', 'history', 'sts/web'], 'rollout history');
  expectMatch(out, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/, 'rollout history');
  const one = await kubectl(['rollout', 'history', 'sts/web', '--revision=1'], 'rollout history --revision=1');
  assert.match(one, /Image:\s+registry\.k8s\.io\/nginx-slim:0\.8/);
  const two = await kubectl(['rollout', 'history', 'sts/web', '--revision=2'], 'rollout history --revision=2');
  assert.match(two, /Image:\s+registry\.k8s\.io\/nginx-slim:0\.9/);
});

test('rollout undo restores the old template and reuses its ControllerRevision with a bumped number', async () => {
  const mark = pods.events.length;
  const out = await kubectl(['rollout', 'undo', 'sts/web'], 'rollout undo');
  assert.match(out, /statefulset.apps\/web rolled back/);
  await kubectl(['rollout', 'status', 'sts/web', '--timeout=60s'], 'rollout status after undo');
  const set = await waitRolledOut(server, ns, 3);
  assert.equal(set.status.updateRevision, firstRevision, 'the original revision is the update revision again');
  assert.equal(set.status.currentRevision, firstRevision);
  const revs = await revisions(server, ns);
  assert.deepEqual(revs.map((r) => [r.metadata.name, r.revision]), [[secondRevision, 2], [firstRevision, 3]]);
  await waitPodsOn(IMAGE_A, ['web-0', 'web-1', 'web-2']);
  assert.deepEqual([revisionOf('web-0'), revisionOf('web-1'), revisionOf('web-2')], [firstRevision, firstRevision, firstRevision]);
  assert.deepEqual(pods.events.slice(mark).filter((e) => e.type === 'DELETED').map((e) => e.name), ['web-2', 'web-1', 'web-0']);
});

test('rollout restart adds restartedAt to the template, making a new revision that replaces every pod', async () => {
  const before = new Map([...pods.pods].map(([n, p]) => [n, p.metadata.uid]));
  await kubectl(['rollout', 'restart', 'sts/web'], 'rollout restart');
  await kubectl(['rollout', 'status', 'sts/web', '--timeout=60s'], 'rollout status after restart');
  const set = await waitRolledOut(server, ns, 3);
  assert.ok(set.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']);
  const revs = await revisions(server, ns);
  assert.equal(revs.length, 3);
  assert.equal(revs[2].metadata.name, set.status.updateRevision);
  assert.equal(revs[2].revision, 4);
  await waitFor(() => ['web-0', 'web-1', 'web-2'].every((n) => {
    const p = pods.pods.get(n);
    return p && p.metadata.uid !== before.get(n) && p.metadata.labels['controller-revision-hash'] === set.status.updateRevision;
  }), { what: 'every pod replaced on the restarted revision' });
});
