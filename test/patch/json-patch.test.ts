// JSON patch (RFC 6902) as evanphx/json-patch v4 applies it, with the apiserver's errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../src/api/patch/json-patch.js';
import { StatusError } from '../../src/api/errors.js';

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'nginx' }, annotations: { 'a/b': 'slash', 'm~n': 'tilde' } },
  spec: { replicas: 2, list: ['a', 'b', 'c'] },
});

function rejected(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(e.toStatus().details, {});
    return true;
  });
}

test('replace / add / remove on objects (kubectl patch --type=json)', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/metadata/labels/tier', value: 'web' },
    { op: 'remove', path: '/metadata/labels/app' },
  ]) as ReturnType<typeof doc>;
  assert.equal(out.spec.replicas, 5);
  assert.deepEqual(out.metadata.labels, { tier: 'web' });
});

test('~1 and ~0 escape / and ~ in keys', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'replace', path: '/metadata/annotations/a~1b', value: 'S' },
    { op: 'remove', path: '/metadata/annotations/m~0n' },
  ]) as ReturnType<typeof doc>;
  assert.deepEqual(out.metadata.annotations, { 'a/b': 'S' });
});

test('arrays: insert at index, append with -, negative indices, remove, replace', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'add', path: '/spec/list/1', value: 'x' },
    { op: 'add', path: '/spec/list/-', value: 'z' },
    { op: 'remove', path: '/spec/list/0' },
    { op: 'replace', path: '/spec/list/-1', value: 'last' },
    { op: 'add', path: '/spec/list/4', value: 'end' },
  ]) as ReturnType<typeof doc>;
  assert.deepEqual(out.spec.list, ['x', 'b', 'c', 'last', 'end']);
});

test('move and copy', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'copy', from: '/metadata/labels', path: '/spec/selector' },
    { op: 'move', from: '/spec/replicas', path: '/spec/count' },
  ]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(out.spec, { list: ['a', 'b', 'c'], selector: { app: 'nginx' }, count: 2 });
  // the copy is independent of its source
  assert.notEqual(out.spec.selector, out.metadata.labels);
});

test('test passes on equal values (key order irrelevant) and for null on a missing path', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'test', path: '/metadata/labels', value: { app: 'nginx' } },
    { op: 'test', path: '/spec/missing', value: null },
    { op: 'replace', path: '/spec/replicas', value: 3 },
  ]) as ReturnType<typeof doc>;
  assert.equal(out.spec.replicas, 3);
});

test('replace of a missing object key sets it, as v4 does', () => {
  const out = applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/paused', value: true }]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(out.spec.paused, true);
});

test('operations that do not apply are a bare 422', () => {
  rejected(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 3 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/spec/nope' }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'add', path: '/nope/deeper', value: 1 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/list/3', value: 1 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/list/5', value: 1 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/list/x', value: 1 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'move', from: '/spec/nope', path: '/spec/x' }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'bogus', path: '/spec' }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'add', value: 1 }]));
  rejected(() => applyJsonPatch(doc(), [{ op: 'add', path: '', value: 1 }]));
});

test('a failing operation leaves the original untouched', () => {
  const original = doc();
  rejected(() => applyJsonPatch(original, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'remove', path: '/x' }]));
  assert.deepEqual(original, doc());
});

test('a body that is not a list of operations is a 400', () => {
  const bad = (body: unknown, message: string) =>
    assert.throws(() => applyJsonPatch(doc(), body), (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === message);
  bad({ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  bad(['x'], 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
});

test('more than 10000 operations is a 413', () => {
  const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
  assert.throws(() => applyJsonPatch(doc(), ops), (e: unknown) => e instanceof StatusError && e.code === 413 && e.message === 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('replacing the root with a non-object is a 422 on field patch', () => {
  assert.throws(() => applyJsonPatch(doc(), [{ op: 'replace', path: '', value: [1] }]), (e: unknown) => e instanceof StatusError && e.code === 422 && e.details?.causes?.[0]?.field === 'patch');
});
