// Which resources the collector watches, and its memory of absent owners.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitoredResources } from '../../../src/controllers/garbagecollector/monitored-resources.js';
import { AbsentOwnerCache } from '../../../src/controllers/garbagecollector/absent-owner-cache.js';

test('every deletable, listable, watchable resource but events is monitored', () => {
  const names = monitoredResources().map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural));
  for (const expected of ['pods', 'persistentvolumeclaims', 'configmaps', 'nodes', 'namespaces', 'statefulsets.apps', 'controllerrevisions.apps']) {
    assert.ok(names.includes(expected), `${expected} is monitored`);
  }
  for (const ignored of ['events', 'events.events.k8s.io', 'bindings']) assert.ok(!names.includes(ignored), `${ignored} is not monitored`);
});

test('the absent-owner cache forgets the least recently used entry first', () => {
  const cache = new AbsentOwnerCache(2);
  const id = (uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, namespace: 'default' });
  cache.add(id('a'));
  cache.add(id('b'));
  assert.equal(cache.has(id('a')), true); // a is now the most recent
  cache.add(id('c'));
  assert.equal(cache.has(id('b')), false);
  assert.equal(cache.has(id('a')), true);
  assert.equal(cache.has(id('c')), true);
  assert.equal(cache.has({ ...id('a'), namespace: 'other' }), false, 'the namespace is part of the key');
});
