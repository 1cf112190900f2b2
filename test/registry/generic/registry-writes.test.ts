// The generic registry rules every kind shares: identity, concurrency, generation, no-op
// writes, status vs main writes, dry runs and namespaces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../src/api/errors.js';
import { makeRegistry, R, configMap, statefulSet } from './make-registry.js';

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

test('create fills uid, creationTimestamp and resourceVersion; generateName gets a 5-char suffix', () => {
  const { registry, close } = makeRegistry();
  const a = registry.create(R.configmaps, 'default', configMap('a'));
  assert.match(a.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.match(a.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Number(a.metadata.resourceVersion) > 0);
  const g = registry.create(R.configmaps, 'default', { metadata: { generateName: 'gen-' }, data: {} });
  assert.match(g.metadata.name!, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  close();
});

test('a stale resourceVersion is a 409 Conflict with upstream text; AlreadyExists on re-create', () => {
  const { registry, close } = makeRegistry();
  const a = registry.create(R.configmaps, 'default', configMap('a'));
  registry.update(R.configmaps, 'default', 'a', { ...a, data: { k: 'v2' } });
  const err = statusOf(() => registry.update(R.configmaps, 'default', 'a', { ...a, data: { k: 'v3' } }));
  assert.equal(err.code, 409);
  assert.equal(err.message, 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
  const exists = statusOf(() => registry.create(R.configmaps, 'default', configMap('a')));
  assert.equal(exists.code, 409);
  assert.equal(exists.reason, 'AlreadyExists');
  close();
});

test('a no-op update keeps the resourceVersion', () => {
  const { registry, close } = makeRegistry();
  const a = registry.create(R.configmaps, 'default', configMap('a'));
  const b = registry.update(R.configmaps, 'default', 'a', { ...a });
  assert.equal(b.metadata.resourceVersion, a.metadata.resourceVersion);
  close();
});

test('generation is bumped by spec changes only; main writes ignore status; /status changes only status', () => {
  const { registry, close } = makeRegistry();
  const s = registry.create(R.statefulsets, 'default', statefulSet('web', 1));
  assert.equal(s.metadata.generation, 1);
  const labelled = registry.update(R.statefulsets, 'default', 'web', { ...s, metadata: { ...s.metadata, labels: { x: 'y' } } });
  assert.equal(labelled.metadata.generation, 1);
  const scaled = registry.update(R.statefulsets, 'default', 'web', {
    ...labelled,
    spec: { ...(labelled.spec as object), replicas: 3 },
    status: { replicas: 99 },
  });
  assert.equal(scaled.metadata.generation, 2);
  assert.notEqual((scaled.status as { replicas: number }).replicas, 99);
  const st = registry.update(
    R.statefulsets,
    'default',
    'web',
    { ...scaled, spec: { ...(scaled.spec as object), replicas: 7 }, status: { replicas: 2, availableReplicas: 0, observedGeneration: 2 } },
    { subresource: 'status' },
  );
  assert.equal((st.spec as { replicas: number }).replicas, 3);
  assert.equal((st.status as { replicas: number }).replicas, 2);
  assert.equal(st.metadata.generation, 2);
  close();
});

test('dryRun validates and answers like a real write, but stores nothing', () => {
  const { registry, close } = makeRegistry();
  const before = registry.currentRevision;
  const out = registry.create(R.configmaps, 'default', configMap('dry'), { dryRun: true });
  assert.equal(out.metadata.name, 'dry');
  assert.equal(registry.currentRevision, before);
  assert.equal(statusOf(() => registry.get(R.configmaps, 'default', 'dry')).code, 404);
  close();
});

test('objects can only be created in a namespace that exists, and not in one being terminated', () => {
  const { registry, close } = makeRegistry();
  const err = statusOf(() => registry.create(R.configmaps, 'nope', configMap('a')));
  assert.equal(err.code, 404);
  assert.equal(err.message, 'namespaces "nope" not found');
  registry.create(R.namespaces, undefined, { metadata: { name: 'doomed' } });
  registry.create(R.configmaps, 'doomed', configMap('held', {}, undefined));
  registry.delete(R.namespaces, undefined, 'doomed');
  const ns = registry.get(R.namespaces, undefined, 'doomed');
  assert.equal((ns.status as { phase: string }).phase, 'Terminating');
  const refused = statusOf(() => registry.create(R.configmaps, 'doomed', configMap('late')));
  assert.equal(refused.code, 403);
  assert.equal(statusOf(() => registry.delete(R.namespaces, undefined, 'default')).code, 403);
  close();
});

test('admission refuses pods with hostNetwork or privileged containers, with a Forbidden error', () => {
  const { registry, close } = makeRegistry();
  const host = statusOf(() =>
    registry.create(R.pods, 'default', { metadata: { name: 'h' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'busybox' }] } }),
  );
  assert.equal(host.code, 403);
  assert.equal(host.reason, 'Forbidden');
  assert.match(host.message, /^pods "h" is forbidden: .*hostNetwork=true/);
  const priv = statusOf(() =>
    registry.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } }),
  );
  assert.match(priv.message, /privileged \(container "c" must not set securityContext.privileged=true\)/);
  assert.equal(registry.list(R.pods, 'default').items.length, 0);
  close();
});
