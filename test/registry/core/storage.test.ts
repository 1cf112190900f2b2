import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../../src/api/field-errors.js';
import type { KObject } from '../../../src/api/object.js';
import type { Strategy, StrategyContext } from '../../../src/registry/strategy.js';
import { persistentVolumeClaimStrategy as pvcS } from '../../../src/registry/kinds/persistentvolumeclaims.js';
import { persistentVolumeStrategy as pvS } from '../../../src/registry/kinds/persistentvolumes.js';
import { storageClassStrategy as scS } from '../../../src/registry/kinds/storageclasses.js';

const ctx: StrategyContext = { now: () => new Date('2025-01-01T00:00:00Z'), usedClusterIPs: () => new Set(), serviceCIDR: '10.96.0.0/16' };

function create(s: Strategy, o: KObject): { obj: KObject; errs: string[] } {
  const obj = structuredClone(o);
  s.defaults?.(obj);
  s.prepareForCreate?.(obj, ctx);
  return { obj, errs: (s.validate?.(obj, ctx) ?? []).map(errorText) };
}

function update(s: Strategy, old: KObject, next: KObject): string[] {
  const obj = structuredClone(next);
  s.defaults?.(obj);
  s.prepareForUpdate?.(obj, old, ctx);
  return (s.validateUpdate?.(obj, old, ctx) ?? []).map(errorText);
}

const claim = (): KObject => ({
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } },
});

test('PVC defaults, canonical storage and Pending status', () => {
  const { obj, errs } = create(pvcS, claim());
  assert.deepEqual(errs, []);
  assert.equal((obj.spec as any).volumeMode, 'Filesystem');
  assert.equal((obj.spec as any).resources.requests.storage, '1Gi');
  assert.deepEqual(obj.status, { phase: 'Pending' });
});

test('PVC required fields', () => {
  const { errs } = create(pvcS, { metadata: { name: 'data', namespace: 'default' }, spec: {} });
  assert.deepEqual(errs, ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  const zero = claim();
  (zero.spec as any).resources.requests.storage = '0';
  assert.deepEqual(create(pvcS, zero).errs, ['spec.resources[storage]: Invalid value: "0": must be greater than zero']);
  const mode = claim();
  (mode.spec as any).accessModes = ['ReadWriteSometimes'];
  assert.deepEqual(create(pvcS, mode).errs, [
    'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
  ]);
});

test('PVC spec is immutable except storage requests of bound claims', () => {
  const { obj: old } = create(pvcS, claim());
  const bigger = structuredClone(old);
  (bigger.spec as any).resources.requests.storage = '2Gi';
  assert.deepEqual(update(pvcS, old, bigger), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  const boundOld = structuredClone(old);
  boundOld.status = { phase: 'Bound', capacity: { storage: '1Gi' } };
  const boundBigger = structuredClone(bigger);
  boundBigger.status = boundOld.status;
  assert.deepEqual(update(pvcS, boundOld, boundBigger), []);
  const withVolume = structuredClone(old);
  (withVolume.spec as any).volumeName = 'pv-1';
  assert.deepEqual(update(pvcS, old, withVolume), []);
});

const volume = (): KObject => ({
  metadata: { name: 'pv-1' },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv-1' } },
});

test('PV defaults and Pending status', () => {
  const { obj, errs } = create(pvS, volume());
  assert.deepEqual(errs, []);
  assert.equal((obj.spec as any).persistentVolumeReclaimPolicy, 'Retain');
  assert.equal((obj.spec as any).volumeMode, 'Filesystem');
  assert.deepEqual(obj.status, { phase: 'Pending', lastPhaseTransitionTime: '2025-01-01T00:00:00Z' });
});

test('PV requires a volume source, capacity and access modes', () => {
  assert.deepEqual(create(pvS, { metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }).errs, [
    'spec: Required value: must specify a volume type',
  ]);
  const errs = create(pvS, { metadata: { name: 'pv-1' }, spec: { hostPath: { path: '/x' } } }).errs;
  assert.deepEqual(errs.slice(0, 2), ['spec.accessModes: Required value', 'spec.capacity: Required value']);
  const two = volume();
  (two.spec as any).nfs = { server: 'nfs', path: '/exports' };
  assert.deepEqual(create(pvS, two).errs, ['spec.nfs: Forbidden: may not specify more than 1 volume type']);
});

test('StorageClass defaults and immutable fields', () => {
  const { obj, errs } = create(scS, { metadata: { name: 'fast' }, provisioner: 'ordinal.dev/hostpath', parameters: { a: '1' } });
  assert.deepEqual(errs, []);
  assert.equal(obj.reclaimPolicy, 'Delete');
  assert.equal(obj.volumeBindingMode, 'Immediate');
  assert.deepEqual(create(scS, { metadata: { name: 'x' } }).errs, ['provisioner: Required value']);
  const changed = { ...structuredClone(obj), parameters: { a: '2' }, provisioner: 'other.dev/x', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
  assert.deepEqual(update(scS, obj, changed), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
});

test('PV status writes that change the phase stamp lastPhaseTransitionTime', () => {
  const { obj: old } = create(pvS, volume());
  const next = structuredClone(old);
  next.status = { phase: 'Available', lastPhaseTransitionTime: '2020-01-01T00:00:00Z' };
  const later: StrategyContext = { ...ctx, now: () => new Date('2025-02-02T00:00:00Z') };
  pvS.prepareForStatusUpdate!(next, old, later);
  assert.equal((next.status as any).lastPhaseTransitionTime, '2025-02-02T00:00:00Z');
});
