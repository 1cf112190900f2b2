import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, invalidError, FieldPath } from '../../../src/api/field-errors.js';
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  isDNS1123Label,
  isQualifiedName,
  validateLabels,
  validateLabelSelector,
} from '../../../src/registry/validation/metadata.js';

const texts = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(errorText);

test('service names use the DNS-1035 message kubectl shows', () => {
  const errs = validateObjectMeta({ name: 'Bad_Name', namespace: 'default' }, true, nameIsDNS1035Label);
  assert.equal(
    invalidError('', 'Service', 'Bad_Name', errs).message,
    `Service "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  );
});

test('subdomain names', () => {
  assert.deepEqual(texts(validateObjectMeta({ name: 'Web', namespace: 'default' }, true, nameIsDNSSubdomain)), [
    `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  assert.deepEqual(nameIsDNSSubdomain('a.b.c', false), []);
});

test('DNS labels reject dots with their own message and long names with a length message', () => {
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('x'.repeat(64)), ['must be no more than 63 characters']);
  assert.match(isDNS1123Label('-a')[0], /^a lowercase RFC 1123 label must consist of/);
});

test('generateName may end in a dash; name or generateName is required', () => {
  assert.deepEqual(nameIsDNSLabel('web-', true), []);
  assert.notDeepEqual(nameIsDNSLabel('web-', false), []);
  assert.deepEqual(texts(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSLabel)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
});

test('namespace required for namespaced kinds and forbidden for cluster-scoped ones', () => {
  assert.deepEqual(texts(validateObjectMeta({ name: 'a' }, true, nameIsDNSLabel)), ['metadata.namespace: Required value']);
  assert.deepEqual(texts(validateObjectMeta({ name: 'a', namespace: 'x' }, false, nameIsDNSLabel)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('label keys and values', () => {
  const errs = validateLabels({ 'bad key': 'ok', good: 'bad value' }, FieldPath.root('metadata').child('labels'));
  assert.equal(errs.length, 2);
  assert.match(errorText(errs[0]), /^metadata\.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/);
  assert.match(errorText(errs[1]), /^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string or consist of/);
  assert.deepEqual(isQualifiedName('example.com/app'), []);
  assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
});

test('label selector operators and values', () => {
  const path = FieldPath.root('spec').child('selector');
  const errs = validateLabelSelector(
    { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Near' }] },
    path,
  );
  assert.deepEqual(errs.map(errorText), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
  ]);
});

test('annotations over 256 KiB are too long', () => {
  const errs = validateObjectMeta({ name: 'a', annotations: { big: 'x'.repeat(262144) } }, false, nameIsDNSLabel);
  assert.deepEqual(texts(errs), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
});

test('owner references need their fields, and at most one controller', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true };
  const errs = validateObjectMeta({ name: 'a', namespace: 'n', ownerReferences: [ref, { ...ref, name: 'db', uid: '' }] }, true, nameIsDNSLabel);
  assert.deepEqual(errs.map((e) => e.field), ['metadata.ownerReferences.uid', 'metadata.ownerReferences']);
  assert.match(errs[1].detail ?? '', /Only one reference can have Controller set to true. Found "true" in references for StatefulSet\/web and StatefulSet\/db/);
});

test('name, namespace and uid are immutable', () => {
  const errs = validateObjectMetaUpdate({ name: 'x', namespace: 'n', uid: '1' }, { name: 'y', namespace: 'n', uid: '1' });
  assert.deepEqual(texts(errs), ['metadata.name: Invalid value: "x": field is immutable']);
});

test('no new finalizers while deleting', () => {
  const errs = validateObjectMetaUpdate(
    { name: 'x', finalizers: ['a/b', 'c/d'], deletionTimestamp: 't' },
    { name: 'x', finalizers: ['a/b'], deletionTimestamp: 't' },
  );
  assert.deepEqual(texts(errs), ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}']);
});
