import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPONENT_NAMES, parseDisable, startControllers } from '../../../src/controllers/manager.js';
import type { ControllerContext } from '../../../src/controllers/context.js';

test('every component name is known from the start', () => {
  assert.deepEqual([...COMPONENT_NAMES].sort(), [
    'dns', 'endpointslice', 'garbagecollector', 'history', 'namespace', 'node', 'scheduler', 'serviceaccount', 'statefulset', 'volume',
  ]);
});

test('parseDisable accepts every known name, trims, and ignores empty entries', () => {
  assert.deepEqual([...parseDisable('')], []);
  assert.deepEqual([...parseDisable(' scheduler , node,,')].sort(), ['node', 'scheduler']);
  const all = parseDisable(COMPONENT_NAMES.join(','));
  assert.equal(all.size, COMPONENT_NAMES.length);
});

test('an unknown name is an error that lists the known ones', () => {
  assert.throws(() => parseDisable('scheduler,kubelet'), (err: Error) => {
    assert.match(err.message, /^unknown component "kubelet"; known: statefulset, history, garbagecollector, namespace, serviceaccount, volume, endpointslice, scheduler, node, dns$/);
    return true;
  });
  assert.throws(() => parseDisable('StatefulSet'), /unknown component "StatefulSet"/);
});

test('history goes with statefulset: disabling statefulset disables history; history alone is refused', () => {
  assert.ok(parseDisable('statefulset').has('history'));
  assert.deepEqual([...parseDisable('statefulset,history')].sort(), ['history', 'statefulset']);
  assert.throws(() => parseDisable('history'), /component "history" runs inside "statefulset"/);
});

test('startControllers starts nothing that is disabled', async () => {
  // A context whose every use throws: with every controller disabled, none may touch it.
  const ctx = new Proxy({}, { get: () => { throw new Error('context used'); } }) as ControllerContext;
  const started = startControllers(ctx, { disabled: new Set(COMPONENT_NAMES) });
  assert.deepEqual(started.running, []);
  await started.stop();
});
