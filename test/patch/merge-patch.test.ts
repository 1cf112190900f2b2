// JSON merge patch (RFC 7386) with the apiserver's error answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../src/api/patch/merge-patch.js';
import { StatusError } from '../../src/api/errors.js';

test('objects merge, null deletes, arrays and scalars replace', () => {
  const original = { metadata: { name: 'web', labels: { a: '1', b: '2' } }, spec: { replicas: 1, list: [1, 2, 3], template: { x: 1 } } };
  const out = applyMergePatch(original, { metadata: { labels: { a: null, c: '3' } }, spec: { replicas: 3, list: [9], template: 'flat' } });
  assert.deepEqual(out, { metadata: { name: 'web', labels: { b: '2', c: '3' } }, spec: { replicas: 3, list: [9], template: 'flat' } });
});

test('RFC 7386 appendix cases', () => {
  assert.deepEqual(applyMergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(applyMergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
  assert.deepEqual(applyMergePatch({ a: 'b' }, { a: null }), {});
  assert.deepEqual(applyMergePatch({ a: 'b', b: 'c' }, { a: null }), { b: 'c' });
  assert.deepEqual(applyMergePatch({ a: ['b'] }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(applyMergePatch({ a: 'c' }, { a: ['b'] }), { a: ['b'] });
  assert.deepEqual(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } }), { a: { b: 'd' } });
  assert.deepEqual(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(applyMergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  assert.deepEqual(applyMergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
});

test('nulls inside added objects are pruned, nulls inside arrays are kept', () => {
  assert.deepEqual(applyMergePatch({}, { a: { b: null, c: [null, { d: null, e: 1 }] } }), { a: { c: [null, { e: 1 }] } });
});

test('kubectl scale sends a merge patch to /scale', () => {
  const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=nginx' } };
  assert.deepEqual(applyMergePatch(scale, { spec: { replicas: 5 } }).spec, { replicas: 5 });
});

test('inputs are not mutated', () => {
  const original = { a: { b: 1 } };
  const patch = { a: { c: { d: null } } };
  applyMergePatch(original, patch);
  assert.deepEqual(original, { a: { b: 1 } });
  assert.deepEqual(patch, { a: { c: { d: null } } });
});

test('null or scalar patches are 400 "Invalid JSON Patch"; an array is a 422 on field patch', () => {
  for (const bad of [null, 3, 'x', true]) {
    assert.throws(() => applyMergePatch({}, bad), (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === 'Invalid JSON Patch');
  }
  assert.throws(() => applyMergePatch({}, [1]), (e: unknown) => e instanceof StatusError && e.code === 422 && e.reason === 'Invalid' && e.details?.causes?.[0]?.field === 'patch');
});
