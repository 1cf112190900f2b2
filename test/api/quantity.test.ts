import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, compareQuantityStrings, parseQuantity, quantityValue, quantityMilliValue } from '../../src/api/quantity.js';

test('canonical forms match upstream', () => {
  const cases: Array<[string, string]> = [
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['500Mi', '500Mi'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['1e3', '1e3'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['2000', '2k'],
    ['0.1', '100m'],
    ['100Ki', '100Ki'],
    ['512', '512'],
    ['0', '0'],
    ['0Gi', '0'],
    ['1G', '1G'],
    ['1000M', '1G'],
    ['-1Gi', '-1Gi'],
    ['0.1Ki', '102400m'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('malformed quantities do not parse', () => {
  for (const bad of ['', 'Gi', '1GB', '1.2.3', 'abc', '1 Gi']) assert.equal(parseQuantity(bad), undefined, bad);
});

test('comparison across formats', () => {
  assert.equal(compareQuantityStrings('1Gi', '1000Mi'), 1);
  assert.equal(compareQuantityStrings('1Gi', '1073741824'), 0);
  assert.equal(compareQuantityStrings('500m', '1'), -1);
  assert.equal(compareQuantityStrings('1G', '1Gi'), -1);
});

test('values round up', () => {
  assert.equal(quantityValue(parseQuantity('1Gi')!), 1073741824);
  assert.equal(quantityValue(parseQuantity('100m')!), 1);
  assert.equal(quantityMilliValue(parseQuantity('1.5')!), 1500);
  assert.equal(canonicalQuantity('1n'), '1n');
  assert.equal(canonicalQuantity('0.0000000001'), '1n');
});
