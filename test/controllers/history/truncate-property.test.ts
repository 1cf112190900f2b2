// Properties of history truncation over random histories: live revisions are never
// deleted, what is deleted is the oldest of the rest, and what remains fits the limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KObject } from '../../../src/api/object.js';
import { revisionsToTruncate, sortRevisions } from '../../../src/controllers/history/index.js';

const rev = (name: string, revision: number, second: number): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, creationTimestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString().replace('.000', '') },
  revision,
});

const history = fc
  .array(fc.record({ revision: fc.integer({ min: 1, max: 20 }), second: fc.integer({ min: 0, max: 59 }) }), { minLength: 0, maxLength: 15 })
  .map((xs) => xs.map((x, i) => rev(`web-${i}`, x.revision, x.second)));

test('truncation never deletes live revisions, deletes the oldest others, and leaves at most the limit', () => {
  fc.assert(
    fc.property(history, fc.integer({ min: -1, max: 6 }), fc.array(fc.nat(20), { maxLength: 4 }), fc.option(fc.nat(20)), fc.option(fc.nat(20)), (revs, limit, podIdx, cur, upd) => {
      const sorted = sortRevisions(revs);
      const pick = (i: number | null) => (i === null || revs.length === 0 ? undefined : revs[i % revs.length]);
      const current = pick(cur);
      const update = pick(upd);
      const pods = podIdx.filter(() => revs.length > 0).map((i) => ({ metadata: { name: `p${i}`, labels: { 'controller-revision-hash': revs[i % revs.length].metadata.name! } } }));
      const set = { metadata: { name: 'web' }, spec: { revisionHistoryLimit: limit } };
      const doomed = revisionsToTruncate(set, pods, sorted, current, update);
      const live = new Set([current?.metadata.name, update?.metadata.name, ...pods.map((p) => p.metadata.labels['controller-revision-hash'])]);
      assert.ok(doomed.every((d) => !live.has(d.metadata.name)));
      const others = sorted.filter((r) => !live.has(r.metadata.name));
      if (limit < 0) assert.equal(doomed.length, 0);
      else {
        assert.equal(doomed.length, Math.max(0, others.length - limit));
        assert.deepEqual(doomed, others.slice(0, doomed.length));
      }
    }),
  );
});

test('sorting: by revision number, then creation time, then name; stable and non-mutating', () => {
  fc.assert(
    fc.property(history, (revs) => {
      const before = revs.map((r) => r.metadata.name);
      const sorted = sortRevisions(revs);
      assert.deepEqual(revs.map((r) => r.metadata.name), before);
      for (let i = 1; i < sorted.length; i++) {
        const a = sorted[i - 1];
        const b = sorted[i];
        const key = (r: KObject) => [r.revision as number, Date.parse(r.metadata.creationTimestamp!), r.metadata.name!] as const;
        const [an, at, aname] = key(a);
        const [bn, bt, bname] = key(b);
        assert.ok(an < bn || (an === bn && (at < bt || (at === bt && aname <= bname))));
      }
    }),
  );
});
