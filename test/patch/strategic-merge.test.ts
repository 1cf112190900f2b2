// Strategic merge patch directives, each pinned to the result upstream's engine produces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { StatusError } from '../../src/api/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const smp = (original: object, patch: unknown, kind = 'Pod'): Record<string, any> => applyStrategicMergePatch(original, patch, kind);
const pod = (spec: object, metadata: object = { name: 'p' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });

function assertStatus(fn: () => unknown, code: number, reason: string | undefined, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

test('maps merge recursively and null deletes a key', () => {
  const original = pod({ nodeName: 'n1' }, { name: 'p', labels: { a: '1', b: '2' }, annotations: { x: 'y' } });
  const out = smp(original, { metadata: { labels: { b: null, c: '3' } }, spec: { hostname: 'h' } });
  assert.deepEqual(out.metadata, { name: 'p', labels: { a: '1', c: '3' }, annotations: { x: 'y' } });
  assert.deepEqual(out.spec, { nodeName: 'n1', hostname: 'h' });
});

test('null for an absent key is ignored, not stored', () => {
  const out = smp(pod({}), { metadata: { annotations: null }, spec: { hostname: null } });
  assert.deepEqual(out, pod({}));
});

test('inputs are not mutated', () => {
  const original = pod({ containers: [{ name: 'a', image: 'i' }] });
  const patch = { spec: { containers: [{ name: 'a', image: 'j' }, { name: 'b', $patch: 'delete' }] } };
  const before = [structuredClone(original), structuredClone(patch)];
  smp(original, patch);
  assert.deepEqual([original, patch], before);
});

test('$patch: replace on a map replaces it with the patch content', () => {
  const original = { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { a: '1' }, annotations: { r: 't' } }, spec: { hostname: 'h' } } } };
  const out = smp(original, { spec: { template: { metadata: { labels: { a: '2' } }, $patch: 'replace' } } }, 'StatefulSet');
  assert.deepEqual(out.spec, { template: { metadata: { labels: { a: '2' } } } });
});

test('$patch: replace alone on the root empties the object', () => {
  assert.deepEqual(smp({ metadata: { name: 'x' }, a: 1 }, { $patch: 'replace' }), {});
  assert.deepEqual(smp({ metadata: { name: 'x' }, a: 1 }, { other: 'a', $patch: 'replace' }), { other: 'a' });
});

test('$patch: delete on a map leaves an empty map, as upstream', () => {
  const out = smp({ metadata: { name: 'x', labels: { a: '1' } } }, { metadata: { labels: { $patch: 'delete' } } }, 'ConfigMap');
  assert.deepEqual(out.metadata, { name: 'x', labels: {} });
});

test('$patch with an unknown value on a map is a reason-less 500, as upstream', () => {
  assertStatus(() => smp({ metadata: {} }, { metadata: { labels: { $patch: 'merge', a: 'b' } } }), 500, undefined, 'unknown patch type: merge in map: map[$patch:merge a:b]');
  assertStatus(() => smp({ metadata: {} }, { metadata: { $patch: 'bogus' } }), 500, undefined, /^unknown patch type: bogus in map/);
});

test('merge-key lists: matching items merge, new items join, items keep patch order', () => {
  const original = pod({ containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1', env: [{ name: 'X', value: '1' }] }, { name: 'c', image: 'c:1' }] });
  const out = smp(original, { spec: { containers: [{ name: 'b', image: 'b:2' }, { name: 'd', image: 'd:1' }] } });
  // upstream interleaves: server-only items go before a patch item that follows them on the server
  assert.deepEqual(out.spec, {
    containers: [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:2', env: [{ name: 'X', value: '1' }] },
      { name: 'd', image: 'd:1' },
      { name: 'c', image: 'c:1' },
    ],
  });
});

test('a new item with no anchor on the server goes first (upstream ordering without $setElementOrder)', () => {
  const out = smp(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ name: 'b' }] } });
  assert.deepEqual(out.spec, { containers: [{ name: 'b' }, { name: 'a' }] });
});

test('patch order wins for items named in the patch', () => {
  const original = pod({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] });
  const out = smp(original, { spec: { containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] } });
  assert.deepEqual(out.spec, { containers: [{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }] });
});

test('$patch: delete in a merge list removes every item with that key', () => {
  const original = pod({ containers: [{ name: 'a', env: [{ name: 'A' }, { name: 'B', value: 'x' }, { name: 'A' }, { name: 'C' }] }] });
  const out = smp(original, { spec: { containers: [{ name: 'a', env: [{ name: 'A', $patch: 'delete' }] }] } });
  assert.deepEqual(out.spec, { containers: [{ name: 'a', env: [{ name: 'B', value: 'x' }, { name: 'C' }] }] });
});

test('$patch: delete without the merge key is an error', () => {
  assertStatus(() => smp(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ $patch: 'delete' }] } }), 500, undefined, 'map: map[$patch:delete] does not contain declared merge key: name');
});

test('a list item {"$patch":"replace"} replaces the whole list', () => {
  const original = pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b' }] });
  assert.deepEqual(smp(original, { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } }).spec, { containers: [{ name: 'c' }] });
  assert.deepEqual(smp(original, { spec: { containers: [{ $patch: 'replace' }] } }).spec, { containers: [] });
});

test('a list item {"$patch":"merge"} is refused as upstream', () => {
  assertStatus(() => smp(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ name: 'a', $patch: 'merge' }] } }), 500, undefined, 'merging lists cannot yet be specified in the patch');
});

test('merge list items must carry the merge key', () => {
  assertStatus(() => smp(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ image: 'x' }] } }), 500, undefined, 'map: map[image:x] does not contain declared merge key: name');
});

test('atomic lists are replaced whole', () => {
  const original = pod({ containers: [{ name: 'a', args: ['1', '2'], command: ['sh'] }], tolerations: [{ key: 'k1' }, { key: 'k2' }] });
  const out = smp(original, { spec: { tolerations: [{ key: 'k3' }], containers: [{ name: 'a', args: ['3'] }] } });
  assert.deepEqual(out.spec, { containers: [{ name: 'a', args: ['3'], command: ['sh'] }], tolerations: [{ key: 'k3' }] });
});

test('Endpoints subsets are atomic', () => {
  const original = { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] };
  const out = smp(original, { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] }, 'Endpoints');
  assert.deepEqual(out.subsets, [{ addresses: [{ ip: '10.0.0.2' }] }]);
});

test('primitive merge list (finalizers) is a set union keeping patch order', () => {
  const out = smp({ metadata: { name: 'x', finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } });
  // b is in the patch and on the server, a only on the server: a keeps its place before b; c has no anchor
  assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c']);
  const dup = smp({ metadata: { finalizers: ['1', '2'] } }, { metadata: { finalizers: ['2', '3'] } });
  assert.deepEqual(dup.metadata.finalizers, ['1', '2', '3']);
  const reordered = smp({ metadata: { finalizers: ['1', '2', '3'] } }, { metadata: { finalizers: ['3', '1'] } });
  assert.deepEqual(reordered.metadata.finalizers, ['2', '3', '1']);
});

test('$deleteFromPrimitiveList removes values from a primitive merge list', () => {
  const out = smp({ metadata: { finalizers: ['a', 'b', 'c'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } });
  assert.deepEqual(out.metadata, { finalizers: ['a', 'c'] });
  const absent = smp({ metadata: { name: 'x' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } });
  assert.deepEqual(absent.metadata, { name: 'x' });
  assertStatus(() => smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': 'b' } }), 400, 'BadRequest', 'invalid patch format of primitive list');
});

test('$setElementOrder gives the final order; server-only items keep their place', () => {
  const original = pod({ containers: [{ name: 'main', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'S', value: 's' }] }] });
  const out = smp(original, {
    spec: {
      containers: [
        {
          name: 'main',
          '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
          env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }],
        },
      ],
    },
  });
  assert.deepEqual(out.spec, { containers: [{ name: 'main', env: [{ name: 'C', value: '3' }, { name: 'A', value: '1' }, { name: 'S', value: 's' }] }] });
});

test('$setElementOrder alone reorders the existing list, and may name absent items', () => {
  const original = pod({ containers: [{ name: '1' }, { name: '3' }] });
  assert.deepEqual(smp(original, { spec: { '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }] } }).spec, { containers: [{ name: '3' }, { name: '1' }] });
  const fin = smp({ metadata: { finalizers: ['1', '3'] } }, { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } });
  assert.deepEqual(fin.metadata.finalizers, ['3', '1']);
});

test('$setElementOrder that contradicts the patch list is refused', () => {
  const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } };
  assertStatus(() => smp(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), patch), 500, undefined, /^The order in patch list:\n\[map\[name:b\] map\[name:a\]\]\n doesn't match \$setElementOrder list:/);
});

test('$setElementOrder for a list the object lacks builds it from the patch, dropping deletions', () => {
  const out = smp(pod({ containers: [{ name: 'a' }] }), {
    spec: { containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A', value: '1' }, { name: 'B', $patch: 'delete' }] }] },
  });
  assert.deepEqual(out.spec, { containers: [{ name: 'a', env: [{ name: 'A', value: '1' }] }] });
});

test('malformed $setElementOrder keys and values are refused', () => {
  assertStatus(() => smp(pod({}), { spec: { $setElementOrderX: [] } }), 400, 'BadRequest', 'invalid patch format of setElementOrder list');
  assertStatus(() => smp(pod({}), { spec: { '$setElementOrder/containers': 'x' } }), 500, undefined, 'expected a []interface {}, but received a string');
});

test('$retainKeys drops keys of the original not listed, after merging', () => {
  const original = pod({ volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory' } }, { name: 'keep', configMap: { name: 'c' } }] });
  const out = smp(original, { spec: { volumes: [{ $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/data' }, name: 'tmp' }] } });
  assert.deepEqual(out.spec, { volumes: [{ name: 'tmp', hostPath: { path: '/data' } }, { name: 'keep', configMap: { name: 'c' } }] });
});

test('$retainKeys must list every key the patch sets', () => {
  const original = pod({ volumes: [{ name: 'tmp', emptyDir: {} }] });
  assertStatus(() => smp(original, { spec: { volumes: [{ $retainKeys: ['name'], hostPath: { path: '/d' }, name: 'tmp' }] } }), 400, 'BadRequest', 'invalid patch format of retainKeys');
  assertStatus(() => smp(original, { spec: { volumes: [{ $retainKeys: 'name', name: 'tmp' }] } }), 400, 'BadRequest', 'invalid patch format of retainKeys');
});

test('lists of lists are refused with a bare 422', () => {
  assertStatus(() => smp({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }), 422, 'Invalid', 'the server rejected our request due to an error in our request');
  // a list of lists behind a scalar is reported as mixed element types
  assertStatus(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [['b']] } }), 500, undefined, 'list element types are not identical: [[a] [[b]]]');
});

test('ownerReferences merge by uid', () => {
  const original = { metadata: { ownerReferences: [{ uid: 'u1', name: 'a', kind: 'StatefulSet' }, { uid: 'u2', name: 'b', kind: 'X' }] } };
  const out = smp(original, { metadata: { ownerReferences: [{ uid: 'u2', $patch: 'delete' }, { uid: 'u1', controller: true }] } });
  assert.deepEqual(out.metadata.ownerReferences, [{ uid: 'u1', name: 'a', kind: 'StatefulSet', controller: true }]);
});

test('never stores directive keys, even in values new to the object', () => {
  const out = smp(pod({}), {
    spec: {
      containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A' }], $retainKeys: ['name', 'env'] }],
      volumes: [{ name: 'v', $patch: 'delete' }, { name: 'w', emptyDir: { $patch: 'replace' } }],
    },
  });
  assert.deepEqual(out.spec, { containers: [{ name: 'a', env: [{ name: 'A' }] }], volumes: [{ name: 'w', emptyDir: {} }] });
  assert.ok(!JSON.stringify(out).includes('$'));
});

test('a value whose type changes is replaced', () => {
  const out = smp({ metadata: {}, data: { a: '1' } }, { data: 'x' }, 'ConfigMap');
  assert.equal(out.data, 'x');
});

test('a patch that is not an object is a 400; null is a no-op', () => {
  assertStatus(() => smp(pod({}), [1]), 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  assert.deepEqual(smp(pod({ a: 1 }), null), pod({ a: 1 }));
});
