// The ownership graph alone, against a recording sink: what each informer event does to the
// nodes, and which work it queues.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KObject, OwnerReference } from '../../../src/api/object.js';
import { DependencyGraph, alternateOwnerIdentity, type GraphNode, type GraphSink } from '../../../src/controllers/garbagecollector/dependency-graph.js';
import { identityOf, type ObjectIdentity } from '../../../src/controllers/garbagecollector/object-identity.js';

class RecordingSink implements GraphSink {
  deletes: string[] = [];
  rateLimited: string[] = [];
  orphans: string[] = [];
  absent: ObjectIdentity[] = [];
  invalid: { dependent: string; owner: string }[] = [];
  attemptToDelete(uid: string): void {
    this.deletes.push(uid);
  }
  attemptToDeleteRateLimited(uid: string): void {
    this.rateLimited.push(uid);
  }
  attemptToOrphan(uid: string): void {
    this.orphans.push(uid);
  }
  ownerAbsent(owner: ObjectIdentity): void {
    this.absent.push(owner);
  }
  invalidNamespaceOwnerRef(dependent: GraphNode, ownerUid: string): void {
    this.invalid.push({ dependent: dependent.identity.uid, owner: ownerUid });
  }
  clear(): void {
    this.deletes = [];
    this.rateLimited = [];
    this.orphans = [];
    this.absent = [];
    this.invalid = [];
  }
}

function cm(name: string, uid: string, extra: { ns?: string; owners?: OwnerReference[]; deleting?: boolean; finalizers?: string[] } = {}): KObject {
  const metadata: KObject['metadata'] = { name, uid, namespace: extra.ns ?? 'default' };
  if (extra.owners) metadata.ownerReferences = extra.owners;
  if (extra.deleting) metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
  if (extra.finalizers) metadata.finalizers = extra.finalizers;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata };
}

function ref(name: string, uid: string, block = false): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name, uid, ...(block ? { blockOwnerDeletion: true } : {}) };
}

const idOf = (obj: KObject) => identityOf('v1', 'ConfigMap', obj);

function setup() {
  const sink = new RecordingSink();
  const graph = new DependencyGraph(sink);
  const observe = (obj: KObject, old?: KObject) => graph.observe(idOf(obj), obj, old);
  return { sink, graph, observe };
}

test('a dependent seen before its owner makes a virtual owner, queued for verification', () => {
  const { sink, graph, observe } = setup();
  observe(cm('child', 'c1', { owners: [ref('parent', 'p1')] }));
  const owner = graph.node('p1');
  assert.ok(owner);
  assert.equal(owner.virtual, true);
  assert.deepEqual(owner.identity, { apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: 'p1', namespace: 'default' });
  assert.deepEqual([...owner.dependents], ['c1']);
  assert.deepEqual(sink.deletes, ['p1']);

  sink.clear();
  observe(cm('parent', 'p1'));
  assert.equal(graph.node('p1')!.virtual, false);
  assert.deepEqual(sink.deletes, [], 'observing the owner at the coordinates its dependent named queues nothing');
});

test('an owner observed under other coordinates than a dependent named sends that dependent to be judged', () => {
  const { sink, graph, observe } = setup();
  observe(cm('child', 'c1', { owners: [ref('someone-else', 'p1')] }));
  sink.clear();
  observe(cm('parent', 'p1'));
  assert.deepEqual(sink.deletes, ['c1']);
  assert.equal(graph.node('p1')!.identity.name, 'parent');
});

test('deleting an owner queues its dependents and records the owner as absent', () => {
  const { sink, graph, observe } = setup();
  const parent = cm('parent', 'p1');
  observe(parent);
  observe(cm('a', 'c1', { owners: [ref('parent', 'p1')] }));
  observe(cm('b', 'c2', { owners: [ref('parent', 'p1')] }));
  sink.clear();
  graph.observeDeletion(idOf(parent));
  assert.equal(graph.node('p1'), undefined);
  assert.deepEqual([...sink.deletes].sort(), ['c1', 'c2']);
  assert.deepEqual(sink.absent, [idOf(parent)]);
});

test('deleting an owner without dependents records nothing absent', () => {
  const { sink, graph, observe } = setup();
  const lone = cm('lone', 'l1');
  observe(lone);
  graph.observeDeletion(idOf(lone));
  assert.deepEqual(sink.absent, []);
  assert.deepEqual(sink.deletes, []);
});

test('the start of an orphan deletion queues the owner for orphaning, once', () => {
  const { sink, observe } = setup();
  const live = cm('parent', 'p1');
  observe(live);
  const deleting = cm('parent', 'p1', { deleting: true, finalizers: ['orphan'] });
  observe(deleting, live);
  assert.deepEqual(sink.orphans, ['p1']);
  observe(cm('parent', 'p1', { deleting: true, finalizers: ['orphan', 'other'] }), deleting);
  assert.deepEqual(sink.orphans, ['p1'], 'a later update of an object already orphaning queues nothing more');
});

test('an object first seen already orphaning is queued', () => {
  const { sink, observe } = setup();
  observe(cm('parent', 'p1', { deleting: true, finalizers: ['orphan'] }));
  assert.deepEqual(sink.orphans, ['p1']);
});

test('the start of a foreground deletion marks the owner and queues it with every dependent', () => {
  const { sink, graph, observe } = setup();
  const live = cm('parent', 'p1');
  observe(live);
  observe(cm('a', 'c1', { owners: [ref('parent', 'p1', true)] }));
  observe(cm('b', 'c2', { owners: [ref('parent', 'p1')] }));
  sink.clear();
  observe(cm('parent', 'p1', { deleting: true, finalizers: ['foregroundDeletion'] }), live);
  const owner = graph.node('p1')!;
  assert.equal(owner.deletingDependents, true);
  assert.equal(owner.beingDeleted, true);
  assert.deepEqual([...sink.deletes].sort(), ['c1', 'c2', 'p1']);
  assert.deepEqual(graph.blockingDependents(owner).map((n) => n.identity.uid), ['c1']);
});

test('a blocking reference removed or unblocked queues the owner it blocked', () => {
  const { sink, observe } = setup();
  observe(cm('parent', 'p1'));
  observe(cm('other', 'p2'));
  const child = cm('a', 'c1', { owners: [ref('parent', 'p1', true), ref('other', 'p2', true)] });
  observe(child);
  sink.clear();
  const next = cm('a', 'c1', { owners: [{ ...ref('other', 'p2'), blockOwnerDeletion: false }] });
  observe(next, child);
  assert.deepEqual([...sink.deletes].sort(), ['p1', 'p2']);
});

test('changing references moves the dependent between owners', () => {
  const { graph, observe } = setup();
  observe(cm('p', 'p1'));
  observe(cm('q', 'p2'));
  const child = cm('a', 'c1', { owners: [ref('p', 'p1')] });
  observe(child);
  observe(cm('a', 'c1', { owners: [ref('q', 'p2')] }), child);
  assert.deepEqual([...graph.node('p1')!.dependents], []);
  assert.deepEqual([...graph.node('p2')!.dependents], ['c1']);
});

test('a namespaced owner in another namespace is reported and its dependent judged', () => {
  const { sink, observe } = setup();
  observe(cm('parent', 'p1', { ns: 'a' }));
  sink.clear();
  observe(cm('child', 'c1', { ns: 'b', owners: [ref('parent', 'p1')] }));
  assert.deepEqual(sink.invalid, [{ dependent: 'c1', owner: 'p1' }]);
  assert.deepEqual(sink.deletes, ['c1']);
});

test('a virtual delete removes a virtual owner and sends its dependents to be judged', () => {
  const { sink, graph, observe } = setup();
  observe(cm('child', 'c1', { owners: [ref('ghost', 'g1')] }));
  sink.clear();
  graph.virtualDelete(graph.node('g1')!.identity);
  assert.equal(graph.node('g1'), undefined);
  assert.deepEqual(sink.deletes, ['c1']);
  assert.equal(sink.absent.length, 1);
});

test('a virtual delete of a virtual owner its dependents disagree about keeps it under another identity', () => {
  const { sink, graph, observe } = setup();
  observe(cm('a', 'c1', { owners: [ref('ghost', 'g1')] }));
  observe(cm('b', 'c2', { owners: [ref('zz-other-name', 'g1')] }));
  sink.clear();
  graph.virtualDelete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'g1', namespace: 'default' });
  const kept = graph.node('g1');
  assert.ok(kept, 'the node stays: one dependent names other coordinates');
  assert.equal(kept.identity.name, 'zz-other-name');
  assert.deepEqual(sink.deletes, ['c1'], 'the dependent that named the absent coordinates is judged');
  assert.deepEqual(sink.rateLimited, ['g1'], 'the other identity is verified in turn');
});

test('a virtual delete naming other coordinates than an observed node leaves the node', () => {
  const { sink, graph, observe } = setup();
  observe(cm('parent', 'p1'));
  observe(cm('a', 'c1', { owners: [ref('wrong-name', 'p1')] }));
  sink.clear();
  graph.virtualDelete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'wrong-name', uid: 'p1', namespace: 'default' });
  assert.ok(graph.node('p1'));
  assert.deepEqual(sink.deletes, ['c1']);
});

test('alternateOwnerIdentity picks the first identity after the absent one, else the first', () => {
  const dep = (uid: string, owners: OwnerReference[]): GraphNode => ({
    identity: { apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, namespace: 'default' },
    owners,
    dependents: new Set(),
    virtual: false,
    beingDeleted: false,
    deletingDependents: false,
  });
  const absent: ObjectIdentity = { apiVersion: 'v1', kind: 'ConfigMap', name: 'm', uid: 'x', namespace: 'default' };
  const deps = [dep('d1', [ref('a', 'x')]), dep('d2', [ref('z', 'x')]), dep('d3', [ref('m', 'x')])];
  assert.equal(alternateOwnerIdentity(deps, absent)?.name, 'z');
  assert.equal(alternateOwnerIdentity(deps.slice(0, 1), absent)?.name, 'a');
  assert.equal(alternateOwnerIdentity(deps.slice(2), absent), undefined);
});

test('property: a node listed as a dependent of an owner always references that owner', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), who: fc.constantFrom(...names), owners: fc.subarray(names, { maxLength: 3 }), block: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), who: fc.constantFrom(...names) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const { graph, observe } = setup();
      const live = new Map<string, KObject>();
      let deletes = 0;
      for (const o of ops) {
        if (o.kind === 'put') {
          const obj = cm(o.who, `u-${o.who}`, { owners: o.owners.filter((n) => n !== o.who).map((n) => ref(n, `u-${n}`, o.block)) });
          observe(obj, live.get(o.who));
          live.set(o.who, obj);
        } else if (live.has(o.who)) {
          graph.observeDeletion(idOf(live.get(o.who)!));
          live.delete(o.who);
          deletes++;
        }
      }
      for (const name of names) {
        const owner = graph.node(`u-${name}`);
        if (!owner) continue;
        for (const dep of graph.dependentsOf(owner)) {
          assert.ok(dep.owners.some((r) => r.uid === owner.identity.uid), `${dep.identity.name} listed under ${name} without a reference`);
        }
      }
      if (deletes > 0) return;
      // With no deletions the graph is exact both ways.
      for (const [name, obj] of live) {
        for (const r of obj.metadata.ownerReferences ?? []) {
          assert.ok(graph.node(r.uid)?.dependents.has(`u-${name}`), `${name} missing under ${r.name}`);
        }
        assert.equal(graph.node(`u-${name}`)?.virtual, false);
      }
    }),
  );
});
