// The collector's writes against a scripted client: the resourceVersion-guarded delete and its
// conflict re-check, the finalizer removal's retries, and the merge-patch fallback.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import { StatusError } from '../../../src/api/errors.js';
import type { Client, DeleteOptions, PatchType } from '../../../src/client/types.js';
import { ClusterOperations } from '../../../src/controllers/garbagecollector/cluster-operations.js';
import type { ObjectIdentity } from '../../../src/controllers/garbagecollector/object-identity.js';

const id: ObjectIdentity = { apiVersion: 'v1', kind: 'ConfigMap', name: 'dep', uid: 'u1', namespace: 'default' };
const owners = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'o1' }];

function obj(rv: string, extra: Partial<KObject['metadata']> = {}): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', namespace: 'default', uid: 'u1', resourceVersion: rv, ownerReferences: owners, ...extra } };
}

const conflict = () => new StatusError(409, 'Conflict', 'conflict');

/** A client whose calls are scripted: each method answers from its queue and records its arguments. */
function scripted(script: { get?: (() => KObject)[]; delete?: (() => void)[]; patch?: (() => KObject)[] }) {
  const calls: { op: string; args: unknown[] }[] = [];
  const next = <T>(list: (() => T)[] | undefined, op: string): T => {
    const f = list?.shift();
    if (!f) throw new Error(`unexpected ${op}`);
    return f();
  };
  const client = {
    get: async (...args: unknown[]) => (calls.push({ op: 'get', args }), next(script.get, 'get')),
    delete: async (_r: unknown, _ns: unknown, _n: unknown, opts: DeleteOptions) => (calls.push({ op: 'delete', args: [opts] }), next(script.delete, 'delete'), undefined),
    patch: async (_r: unknown, _ns: unknown, _n: unknown, type: PatchType, patch: unknown) => (calls.push({ op: 'patch', args: [type, patch] }), next(script.patch, 'patch')),
  } as unknown as Client;
  return { client, calls };
}

const noSleep = async () => undefined;

test('delete carries uid and resourceVersion preconditions and the propagation policy', async () => {
  const { client, calls } = scripted({ delete: [() => undefined] });
  await new ClusterOperations(client, noSleep).delete(id, '7', owners, 'Background');
  assert.deepEqual(calls, [{ op: 'delete', args: [{ propagationPolicy: 'Background', preconditions: { uid: 'u1', resourceVersion: '7' } }] }]);
});

test('a version conflict with unchanged ownerReferences retries with the uid alone', async () => {
  const { client, calls } = scripted({
    delete: [() => { throw conflict(); }, () => undefined],
    get: [() => obj('8')],
  });
  await new ClusterOperations(client, noSleep).delete(id, '7', owners, 'Background');
  assert.deepEqual(calls.map((c) => c.op), ['delete', 'get', 'delete']);
  assert.deepEqual(calls[2]!.args[0], { propagationPolicy: 'Background', preconditions: { uid: 'u1' } });
});

test('a version conflict with changed ownerReferences is reported, not retried', async () => {
  const { client, calls } = scripted({
    delete: [() => { throw conflict(); }],
    get: [() => obj('8', { ownerReferences: [...owners, { apiVersion: 'v1', kind: 'ConfigMap', name: 'new', uid: 'n1' }] })],
  });
  await assert.rejects(new ClusterOperations(client, noSleep).delete(id, '7', owners, 'Background'), (e: unknown) => e instanceof StatusError && e.code === 409);
  assert.deepEqual(calls.map((c) => c.op), ['delete', 'get']);
});

test('removeFinalizer re-reads on conflict and sends a guarded merge patch', async () => {
  const { client, calls } = scripted({
    get: [() => obj('3', { finalizers: ['a', 'orphan'] }), () => obj('4', { finalizers: ['orphan'] })],
    patch: [() => { throw conflict(); }, () => obj('5')],
  });
  await new ClusterOperations(client, noSleep).removeFinalizer(id, 'orphan');
  assert.deepEqual(calls.filter((c) => c.op === 'patch').map((c) => c.args), [
    ['merge', { metadata: { resourceVersion: '3', finalizers: ['a'] } }],
    ['merge', { metadata: { resourceVersion: '4', finalizers: null } }],
  ]);
});

test('removeFinalizer gives up after four conflicts', async () => {
  const { client } = scripted({
    get: Array.from({ length: 4 }, () => () => obj('3', { finalizers: ['orphan'] })),
    patch: Array.from({ length: 4 }, () => () => { throw conflict(); }),
  });
  await assert.rejects(new ClusterOperations(client, noSleep).removeFinalizer(id, 'orphan'), /updateMaxRetries\(4\)/);
});

test('removeFinalizer leaves alone a successor under the name, and an object without the finalizer', async () => {
  for (const current of [obj('3', { uid: 'other', finalizers: ['orphan'] }), obj('3', { finalizers: ['x'] })]) {
    const { client, calls } = scripted({ get: [() => current] });
    await new ClusterOperations(client, noSleep).removeFinalizer(id, 'orphan');
    assert.deepEqual(calls.map((c) => c.op), ['get']);
  }
});

test('a resource that refuses strategic merge gets a JSON merge patch built from its current state', async () => {
  const { client, calls } = scripted({
    patch: [() => { throw new StatusError(415, 'UnsupportedMediaType', 'no'); }, () => obj('9')],
    get: [() => obj('8')],
  });
  await new ClusterOperations(client, noSleep).patch(id, { strategic: true }, (cur) => ({ from: cur.metadata.resourceVersion }));
  assert.deepEqual(calls.map((c) => [c.op, ...(c.op === 'patch' ? c.args : [])]), [
    ['patch', 'strategic', { strategic: true }],
    ['get'],
    ['patch', 'merge', { from: '8' }],
  ]);
});
