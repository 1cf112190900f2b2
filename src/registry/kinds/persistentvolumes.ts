// PersistentVolume (core/v1, cluster-scoped): defaults, spec validation (exactly one volume
// source), and the immutable volume source on update.

import { deepEqual, isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { Strategy, StrategyContext } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { canonicalizeResourceList, ensureObject, objectAt, arrayAt, stringAt, sortedKeys, validatePositiveQuantity } from '../validation/core-values.js';
import { validateAccessModes, validateVolumeMode } from './persistentvolumeclaims.js';
import { timestamp } from '../object-meta.js';
import { parseQuantity, quantitySign, quantityValue } from '../../api/quantity.js';

const META = FieldPath.root('metadata');
const SPEC = FieldPath.root('spec');
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** The persistent volume source fields, in upstream's checking order. */
export const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs',
  'iscsi', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi',
];

function validateSource(kind: string, src: JsonObject, spec: JsonObject): FieldError[] {
  const path = SPEC.child(kind);
  const errs: FieldError[] = [];
  const requirePath = (key: string) => {
    const v = stringAt(src, key);
    if (!v) errs.push(required(path.child(key)));
    return v;
  };
  switch (kind) {
    case 'hostPath': {
      const p = requirePath('path');
      if (p && p.split('/').includes('..')) errs.push(invalid(path.child('path'), p, "must not contain '..'"));
      break;
    }
    case 'local': {
      const p = requirePath('path');
      if (p && p.split('/').includes('..')) errs.push(invalid(path.child('path'), p, "must not contain '..'"));
      if (!isPlainObject(spec.nodeAffinity)) errs.push(required(SPEC.child('nodeAffinity'), 'Local volume requires node affinity'));
      break;
    }
    case 'nfs': {
      requirePath('server');
      const p = requirePath('path');
      if (p && !p.startsWith('/')) errs.push(invalid(path.child('path'), p, 'must be an absolute path'));
      break;
    }
    case 'csi':
      requirePath('driver');
      requirePath('volumeHandle');
      break;
  }
  return errs;
}

function validatePVSpec(spec: JsonObject): FieldError[] {
  const errs = validateAccessModes(arrayAt(spec, 'accessModes'), SPEC.child('accessModes'), '');
  const capacity = objectAt(spec, 'capacity');
  const capPath = SPEC.child('capacity');
  if (!capacity || !Object.keys(capacity).length) errs.push(required(capPath));
  if (!capacity || capacity.storage === undefined || Object.keys(capacity).length > 1) errs.push(notSupported(capPath, capacity ?? {}, ['storage']));
  for (const k of sortedKeys(capacity)) {
    // validateBasicResource, then ValidatePositiveQuantityValue: a negative capacity gets both.
    const v = capacity![k];
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
    if (q && quantitySign(q) < 0) errs.push(invalid(capPath.key(k), quantityValue(q), 'must be a valid resource quantity'));
    errs.push(...validatePositiveQuantity(capacity![k], capPath.key(k)));
  }
  const policy = spec.persistentVolumeReclaimPolicy;
  if (typeof policy === 'string' && policy && !RECLAIM_POLICIES.includes(policy)) {
    errs.push(notSupported(SPEC.child('persistentVolumeReclaimPolicy'), policy, RECLAIM_POLICIES));
  }
  const cls = spec.storageClassName;
  if (typeof cls === 'string' && cls) for (const m of nameIsDNSSubdomain(cls, false)) errs.push(invalid(SPEC.child('storageClassName'), cls, m));
  errs.push(...validateVolumeMode(spec.volumeMode, SPEC.child('volumeMode')));
  let sources = 0;
  for (const kind of PV_SOURCES) {
    const src = spec[kind];
    if (!isPlainObject(src)) continue;
    if (sources > 0) {
      errs.push(forbidden(SPEC.child(kind), 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    errs.push(...validateSource(kind, src, spec));
  }
  if (!sources) errs.push(required(SPEC, 'must specify a volume type'));
  return errs;
}

function sourceOf(spec: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of PV_SOURCES) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

function validatePVUpdate(obj: KObject, old: KObject): FieldError[] {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const oldSpec = isPlainObject(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  if (!deepEqual(sourceOf(spec), sourceOf(oldSpec))) {
    errs.push(forbidden(SPEC.child('persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  }
  if ((spec.volumeMode ?? null) !== (oldSpec.volumeMode ?? null)) errs.push(invalid(FieldPath.root('volumeMode'), spec.volumeMode ?? null, 'field is immutable'));
  if (isPlainObject(oldSpec.nodeAffinity) && !deepEqual(spec.nodeAffinity, oldSpec.nodeAffinity)) {
    errs.push(invalid(FieldPath.root('nodeAffinity'), spec.nodeAffinity ?? null, 'field is immutable'));
  }
  return errs;
}

export const persistentVolumeStrategy: Strategy = {
  hasStatusSubresource: true,
  defaults(obj) {
    const spec = ensureObject(obj, 'spec');
    if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
    if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    canonicalizeResourceList(spec.capacity);
  },
  prepareForCreate(obj, ctx: StrategyContext) {
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: timestamp(ctx.now()) };
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, false, nameIsDNSSubdomain, META), ...validatePVSpec(isPlainObject(obj.spec) ? obj.spec : {})];
  },
  validateUpdate(obj, old) {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata, META),
      ...validatePVSpec(isPlainObject(obj.spec) ? obj.spec : {}),
      ...validatePVUpdate(obj, old),
    ];
  },
  prepareForStatusUpdate(obj, old, ctx) {
    stampPhaseTransition(obj, old, ctx.now());
  },
  validateStatusUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, META);
  },
  fieldSelectorFields(obj) {
    return { name: obj.metadata.name ?? '' };
  },
};

/** Upstream's PV status strategy: a phase change stamps lastPhaseTransitionTime. */
export function stampPhaseTransition(obj: KObject, old: KObject, now: Date): void {
  const phase = stringAt(obj.status, 'phase');
  if (phase && phase !== stringAt(old.status, 'phase')) ensureObject(obj, 'status').lastPhaseTransitionTime = timestamp(now);
}
