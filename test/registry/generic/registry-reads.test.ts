// LIST and WATCH: label selectors with every operator, field selectors, paging, and
// watch resumption with selector transitions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { makeRegistry, R, configMap, pod } from './make-registry.js';

function names(items: KObject[]): string[] {
  return items.map((i) => i.metadata.name!).sort();
}

test('label selectors: =, ==, !=, in, notin, exists, !exists', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.configmaps, 'default', configMap('a', {}, { tier: 'web', env: 'prod' }));
  registry.create(R.configmaps, 'default', configMap('b', {}, { tier: 'db', env: 'dev' }));
  registry.create(R.configmaps, 'default', configMap('c', {}, { tier: 'cache' }));
  const sel = (labelSelector: string) => names(registry.list(R.configmaps, 'default', { labelSelector }).items);
  assert.deepEqual(sel('tier=web'), ['a']);
  assert.deepEqual(sel('tier==db'), ['b']);
  assert.deepEqual(sel('tier!=web'), ['b', 'c']);
  assert.deepEqual(sel('tier in (web,db)'), ['a', 'b']);
  assert.deepEqual(sel('tier notin (web,db)'), ['c']);
  assert.deepEqual(sel('env'), ['a', 'b']);
  assert.deepEqual(sel('!env'), ['c']);
  assert.deepEqual(sel('env,tier!=db'), ['a']);
  close();
});

test('field selectors: metadata.name and pod fields; an unknown field is a 400 with upstream text', () => {
  const { registry, close } = makeRegistry();
  registry.create(R.pods, 'default', pod('p1', 'node-a'));
  registry.create(R.pods, 'default', pod('p2'));
  assert.deepEqual(names(registry.list(R.pods, 'default', { fieldSelector: 'metadata.name=p2' }).items), ['p2']);
  assert.deepEqual(names(registry.list(R.pods, 'default', { fieldSelector: 'spec.nodeName=node-a' }).items), ['p1']);
  assert.deepEqual(names(registry.list(R.pods, 'default', { fieldSelector: 'spec.nodeName=' }).items), ['p2']);
  assert.deepEqual(names(registry.list(R.pods, 'default', { fieldSelector: 'status.phase=Pending,metadata.name!=p1' }).items), ['p2']);
  assert.throws(
    () => registry.list(R.pods, 'default', { fieldSelector: 'spec.bogus=1' }),
    (e: Error) => e.message === 'Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.bogus=1": field label not supported: spec.bogus',
  );
  close();
});

test('limit and continue page through a list in key order with remainingItemCount', () => {
  const { registry, close } = makeRegistry();
  for (let i = 0; i < 7; i++) registry.create(R.configmaps, 'default', configMap(`cm-${i}`));
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = registry.list(R.configmaps, 'default', { limit: 3, continue: token });
    seen.push(...page.items.map((i) => i.metadata.name!));
    if (page.continue) assert.equal(page.remainingItemCount, 7 - seen.length);
    token = page.continue;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
  close();
});

test('a watch resumed from a resourceVersion sees later events; leaving the selector is DELETED', () => {
  const { registry, close } = makeRegistry();
  const a = registry.create(R.configmaps, 'default', configMap('a', {}, { app: 'x' }));
  const events: string[] = [];
  const stop = registry.watch(R.configmaps, 'default', { resourceVersion: a.metadata.resourceVersion, labelSelector: 'app=x' }, (type, obj) => {
    events.push(`${type} ${obj.metadata.name}`);
  });
  registry.create(R.configmaps, 'default', configMap('b', {}, { app: 'x' }));
  registry.create(R.configmaps, 'default', configMap('other', {}, { app: 'y' }));
  const b = registry.get(R.configmaps, 'default', 'b');
  registry.update(R.configmaps, 'default', 'b', { ...b, metadata: { ...b.metadata, labels: { app: 'y' } } });
  const o = registry.get(R.configmaps, 'default', 'other');
  registry.update(R.configmaps, 'default', 'other', { ...o, metadata: { ...o.metadata, labels: { app: 'x' } } });
  registry.delete(R.configmaps, 'default', 'a');
  stop();
  assert.deepEqual(events, ['ADDED b', 'DELETED b', 'ADDED other', 'DELETED a']);
  close();
});
