import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStrict, duplicateFields, fieldValidationOf } from '../../src/api/schema/decode.js';
import { StatusError } from '../../src/api/errors.js';

const STS = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const PREFIX = 'StatefulSet in version "v1" cannot be handled as a StatefulSet: ';

function sts(spec: string, extra = ''): string {
  return `{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web"${extra}},"spec":${spec}}`;
}

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail('expected a BadRequest');
}

test('Strict lists every unknown field with its path, nested lists included', () => {
  const body = sts('{"bogus":1,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","bogus":true}]}}}').replace('{"apiVersion"', '{"foo":"x","apiVersion"');
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, body, 'Strict')),
    `${PREFIX}strict decoding error: unknown field "foo", unknown field "spec.bogus", unknown field "spec.template.spec.containers[1].bogus"`,
  );
});

test('Strict reports duplicate fields in document order, and unknown-and-duplicate only once', () => {
  const body = sts('{"replicas":1,"unknownDupe":1,"unknownDupe":2,"replicas":2}', ',"name":"again"');
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, body, 'Strict')),
    `${PREFIX}strict decoding error: duplicate field "metadata.name", unknown field "spec.unknownDupe", duplicate field "spec.replicas"`,
  );
});

test('Warn succeeds, drops unknown fields and returns one warning each; last duplicate wins', () => {
  const r = decodeStrict(STS, sts('{"replicas":1,"bogus":{"x":1},"replicas":3}'), 'Warn');
  assert.deepEqual(r.warnings, ['unknown field "spec.bogus"', 'duplicate field "spec.replicas"']);
  assert.deepEqual(r.object.spec, { replicas: 3 });
});

test('Ignore drops unknown fields silently', () => {
  const r = decodeStrict(STS, sts('{"replicas":1,"bogus":true}'), 'Ignore');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.object.spec, { replicas: 1 });
});

test('a wrong-typed field is a decode error in every mode, with Go struct context', () => {
  for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
    assert.equal(
      badRequestMessage(() => decodeStrict(STS, sts('{"replicas":"3"}'), mode)),
      `${PREFIX}json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32`,
    );
  }
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, sts('{"replicas":1.5}'), 'Strict')),
    `${PREFIX}json: cannot unmarshal number 1.5 into Go struct field StatefulSetSpec.spec.replicas of type int32`,
  );
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, sts('{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}}}'), 'Strict')),
    `${PREFIX}json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`,
  );
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, sts('[]'), 'Strict')),
    `${PREFIX}json: cannot unmarshal array into Go struct field StatefulSet.spec of type v1.StatefulSetSpec`,
  );
});

test('IntOrString takes both forms; quantities take strings and numbers', () => {
  const spec = '{"updateStrategy":{"rollingUpdate":{"maxUnavailable":"50%","partition":2}},"template":{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"500m","memory":1024}}}]}}}';
  const r = decodeStrict(STS, sts(spec), 'Strict');
  const s = r.object.spec as { updateStrategy: { rollingUpdate: { maxUnavailable: unknown } }; template: { spec: { containers: { resources: { limits: unknown } }[] } } };
  assert.equal(s.updateStrategy.rollingUpdate.maxUnavailable, '50%');
  assert.deepEqual(s.template.spec.containers[0]!.resources.limits, { cpu: '500m', memory: '1024' });
  assert.match(
    badRequestMessage(() => decodeStrict(STS, sts('{"template":{"spec":{"containers":[{"resources":{"limits":{"cpu":"lots"}}}]}}}'), 'Strict')),
    /quantities must match the regular expression/,
  );
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, sts('{"updateStrategy":{"rollingUpdate":{"maxUnavailable":true}}}'), 'Ignore')),
    `${PREFIX}json: cannot unmarshal bool into Go struct field RollingUpdateStatefulSetStrategy.spec.updateStrategy.rollingUpdate.maxUnavailable of type int32`,
  );
});

test('metadata maps and nulls decode like a Go struct', () => {
  const r = decodeStrict(STS, sts('{}', ',"creationTimestamp":null,"labels":{"app":"web"}'), 'Strict');
  assert.deepEqual(r.object.metadata, { name: 'web', labels: { app: 'web' } });
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, sts('{}', ',"labels":{"app":5}'), 'Strict')),
    `${PREFIX}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
  );
});

test('a parsed object can be decoded too, and sortKeys orders unknown fields like a patched map', () => {
  const r = decodeStrict(STS, { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { zz: 1, aa: 2 } }, 'Warn', { sortKeys: true, leadingErrors: ['duplicate field "spec.paused"'] });
  assert.deepEqual(r.warnings, ['duplicate field "spec.paused"', 'unknown field "spec.aa"', 'unknown field "spec.zz"']);
});

test('syntax errors use Go wording and the unrecognized-object form', () => {
  assert.equal(
    badRequestMessage(() => decodeStrict(STS, '{"apiVersion":"apps/v1",}', 'Strict')),
    `the object provided is unrecognized (must be of type StatefulSet): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string ({"apiVersion":"apps/v1",})`,
  );
});

test('duplicateFields scans a patch body; fieldValidationOf defaults to Warn', () => {
  assert.deepEqual(duplicateFields('{"spec":{"a":1,"a":2,"x":[{"b":1,"b":1}]}}'), ['duplicate field "spec.a"', 'duplicate field "spec.x[0].b"']);
  assert.equal(fieldValidationOf(undefined), 'Warn');
  assert.equal(fieldValidationOf('Strict'), 'Strict');
  assert.equal(fieldValidationOf('strict'), undefined);
});
