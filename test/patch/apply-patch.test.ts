// Dispatch by Content-Type, raw-body decoding, and the 415 answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, decodePatchBody, patchTypeOf, SERVED_PATCH_TYPES } from '../../src/api/patch/index.js';
import { patchMetaFor } from '../../src/api/patch/merge-keys.js';
import { RESOURCES } from '../../src/api/resources.js';
import { StatusError } from '../../src/api/errors.js';

const live = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };

test('each content type selects its engine', () => {
  const containers = [{ name: 'b', image: 'z' }];
  // strategic: merged by name
  assert.deepEqual((applyPatch('application/strategic-merge-patch+json', live, { spec: { containers } }, 'Pod').spec as { containers: unknown }).containers, [
    { name: 'a', image: 'x' },
    { name: 'b', image: 'z' },
  ]);
  // merge patch: the list is replaced
  assert.deepEqual(applyPatch('application/merge-patch+json; charset=utf-8', live, { spec: { containers } }, 'Pod').spec, { containers });
  // json patch
  const out = applyPatch('application/json-patch+json', live, [{ op: 'replace', path: '/spec/containers/0/image', value: 'w' }], 'Pod');
  assert.deepEqual(out.spec, { containers: [{ name: 'a', image: 'w' }, { name: 'b', image: 'y' }] });
});

test('raw bodies (bytes) are decoded; decodePatchBody words errors per engine', () => {
  const out = applyPatch('application/merge-patch+json', live, Buffer.from('{"metadata":{"labels":{"a":"b"}}}'), 'Pod');
  assert.deepEqual(out.metadata, { name: 'p', labels: { a: 'b' } });
  assert.throws(() => applyPatch('application/merge-patch+json', live, Buffer.from('{oops'), 'Pod'), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Invalid JSON Patch');
  // a decoded JSON string is a value, not a body to decode again
  assert.throws(() => applyPatch('application/strategic-merge-patch+json', live, '{}', 'Pod'), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'json: cannot unmarshal string into Go value of type map[string]interface {}');
  assert.throws(() => decodePatchBody('json', '[1,'), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'unexpected end of JSON input');
  assert.throws(() => decodePatchBody('strategic', '{} x'), (e: unknown) => e instanceof StatusError && e.message === "invalid character 'x' after top-level value");
  assert.throws(
    () => applyPatch('application/strategic-merge-patch+json', live, Buffer.from('{"a":}'), 'Pod'),
    (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === "invalid character '}' looking for beginning of value",
  );
});

test('unknown media types are a 415 listing the served ones', () => {
  assert.throws(
    () => patchTypeOf('application/json'),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 415 &&
      e.reason === 'UnsupportedMediaType' &&
      e.message === 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
  );
  assert.throws(() => patchTypeOf(undefined), (e: unknown) => e instanceof StatusError && e.code === 415);
});

test('server-side apply is refused with a 415 that says it is not supported yet', () => {
  assert.throws(
    () => applyPatch('application/apply-patch+yaml', live, {}, 'Pod'),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 415 &&
      e.reason === 'UnsupportedMediaType' &&
      e.message.startsWith(`the body of the request was in an unknown format - accepted media types include: ${SERVED_PATCH_TYPES.join(', ')}`) &&
      e.message.includes('server-side apply (application/apply-patch+yaml) is not supported'),
  );
});

test('every served kind has patch metadata with ObjectMeta merge keys', () => {
  for (const r of RESOURCES) {
    const meta = patchMetaFor(r.kind).child('metadata');
    assert.deepEqual(meta.list('ownerReferences'), { strategy: 'merge', mergeKey: 'uid' }, r.kind);
    assert.deepEqual(meta.list('finalizers'), { strategy: 'merge-primitive' }, r.kind);
  }
});

test('merge keys of the tutorial types', () => {
  const podSpec = patchMetaFor('StatefulSet').child('spec').child('template').child('spec');
  assert.deepEqual(podSpec.list('containers'), { strategy: 'merge', mergeKey: 'name' });
  assert.deepEqual(podSpec.list('volumes'), { strategy: 'merge', mergeKey: 'name', retainKeys: true });
  assert.deepEqual(podSpec.list('tolerations'), { strategy: 'replace' });
  const container = podSpec.element('containers');
  assert.deepEqual(container.list('ports'), { strategy: 'merge', mergeKey: 'containerPort' });
  assert.deepEqual(container.list('volumeMounts'), { strategy: 'merge', mergeKey: 'mountPath' });
  assert.deepEqual(container.list('args'), { strategy: 'replace' });
  assert.deepEqual(patchMetaFor('StatefulSet').child('spec').list('volumeClaimTemplates'), { strategy: 'replace' });
  assert.deepEqual(patchMetaFor('Service').child('spec').list('ports'), { strategy: 'merge', mergeKey: 'port' });
  assert.deepEqual(patchMetaFor('Node').child('status').list('addresses'), { strategy: 'merge', mergeKey: 'type' });
  assert.deepEqual(patchMetaFor('Endpoints').list('subsets'), { strategy: 'replace' });
  // a map field's values: ConfigMap data is map[string]string, no lists anywhere below
  assert.deepEqual(patchMetaFor('ConfigMap').child('data').list('x'), { strategy: 'replace' });
});
