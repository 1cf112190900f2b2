import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, timestampSince } from '../../src/api/printers/human-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration follows the apiserver age format', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [42 * M + 30 * S, '42m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 3 * M, '5h3m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [20 * H, '20h'],
    [47 * H + 59 * M, '47h'],
    [2 * D, '2d'],
    [3 * D + 4 * H, '3d4h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [12 * D + 5 * H, '12d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [365 * 2 * D + 20 * D, '2y20d'],
    [365 * 8 * D, '8y'],
    [365 * 9 * D + 100 * D, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('timestampSince measures from the given now and reports missing timestamps', () => {
  const now = new Date('2025-01-01T01:00:00Z');
  assert.equal(timestampSince('2025-01-01T00:59:15Z', now), '45s');
  assert.equal(timestampSince('2024-12-28T21:00:00Z', now), '3d4h');
  assert.equal(timestampSince(undefined, now), '<unknown>');
  assert.equal(timestampSince(null, now), '<unknown>');
});
