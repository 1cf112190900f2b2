// StatefulSet registry rules (pkg/apis/apps/v1/defaults.go and
// pkg/registry/apps/statefulset/strategy.go, Kubernetes 1.33).

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import type { Strategy } from '../strategy.js';
import { defaultPodTemplateSpec } from '../defaults/pod-spec.js';
import { canonicalizeResourceList } from '../validation/core-values.js';
import { validateStatefulSet, validateStatefulSetStatusUpdate, validateStatefulSetUpdate } from '../validation/statefulset.js';

type J = JsonObject;

/**
 * Feature gate MaxUnavailableStatefulSet: alpha, off by default in 1.33. While off, the
 * field is not defaulted and is dropped from writes unless the stored object already uses it.
 */
export const MAX_UNAVAILABLE_STATEFULSET = false;

const obj = (parent: J, key: string): J => (isPlainObject(parent[key]) ? (parent[key] as J) : ((parent[key] = {}) as J));
const setIfAbsent = (o: J, key: string, value: unknown) => {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
};

/** Claim templates are full PersistentVolumeClaims, defaulted as such (SetDefaults_PersistentVolumeClaim). */
export function defaultVolumeClaimTemplate(pvc: J): void {
  setIfAbsent(pvc, 'apiVersion', 'v1');
  setIfAbsent(pvc, 'kind', 'PersistentVolumeClaim');
  const meta = obj(pvc, 'metadata');
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  const spec = obj(pvc, 'spec');
  setIfAbsent(spec, 'volumeMode', 'Filesystem');
  if (isPlainObject(spec.resources)) {
    canonicalizeResourceList(spec.resources.requests);
    canonicalizeResourceList(spec.resources.limits);
  }
  setIfAbsent(obj(pvc, 'status'), 'phase', 'Pending');
}

export function defaultStatefulSet(sts: KObject): void {
  const spec = isPlainObject(sts.spec) ? sts.spec : (sts.spec = {});
  setIfAbsent(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = obj(spec, 'updateStrategy');
  // rollingUpdate is created only when the type was left empty, as upstream does.
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    if (!isPlainObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
  }
  if (strategy.type === 'RollingUpdate' && isPlainObject(strategy.rollingUpdate)) {
    setIfAbsent(strategy.rollingUpdate, 'partition', 0);
    if (MAX_UNAVAILABLE_STATEFULSET) setIfAbsent(strategy.rollingUpdate, 'maxUnavailable', 1);
  }
  const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfAbsent(retention, 'whenDeleted', 'Retain');
  setIfAbsent(retention, 'whenScaled', 'Retain');
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  defaultPodTemplateSpec(obj(spec, 'template'));
  const template = spec.template as J;
  const podSpec = isPlainObject(template.spec) ? template.spec : {};
  for (const list of [podSpec.containers, podSpec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (isPlainObject(c) && isPlainObject(c.resources)) {
        canonicalizeResourceList(c.resources.limits);
        canonicalizeResourceList(c.resources.requests);
      }
    }
  }
  if (Array.isArray(spec.volumeClaimTemplates)) for (const pvc of spec.volumeClaimTemplates) if (isPlainObject(pvc)) defaultVolumeClaimTemplate(pvc);
  // Go always serialises these two counters, zero or not.
  if (isPlainObject(sts.status)) {
    if (typeof sts.status.replicas !== 'number') sts.status.replicas = 0;
    if (typeof sts.status.availableReplicas !== 'number') sts.status.availableReplicas = 0;
  }
}

function maxUnavailableOf(sts: KObject | undefined): unknown {
  const spec = sts && isPlainObject(sts.spec) ? sts.spec : {};
  const strategy = isPlainObject(spec.updateStrategy) ? spec.updateStrategy : {};
  return isPlainObject(strategy.rollingUpdate) ? strategy.rollingUpdate.maxUnavailable : undefined;
}

/** dropStatefulSetDisabledFields: a disabled field survives only if already in use. */
function dropDisabledFields(sts: KObject, old?: KObject): void {
  if (MAX_UNAVAILABLE_STATEFULSET || maxUnavailableOf(old) !== undefined) return;
  const spec = isPlainObject(sts.spec) ? sts.spec : {};
  const strategy = isPlainObject(spec.updateStrategy) ? spec.updateStrategy : {};
  if (isPlainObject(strategy.rollingUpdate)) delete strategy.rollingUpdate.maxUnavailable;
}

/** What a new StatefulSet's status looks like (the zero value, as Go serialises it). */
export function initialStatefulSetStatus(): J {
  return { replicas: 0, availableReplicas: 0 };
}

export const statefulSetStrategy: Strategy = {
  hasStatusSubresource: true,
  tracksGeneration: true,
  defaults: defaultStatefulSet,
  prepareForCreate(sts) {
    sts.status = initialStatefulSetStatus();
    sts.metadata.generation = 1;
    dropDisabledFields(sts);
  },
  prepareForUpdate(sts, old) {
    dropDisabledFields(sts, old);
  },
  validate: (sts) => validateStatefulSet(sts),
  validateUpdate: (sts, old) => validateStatefulSetUpdate(sts, old),
  validateStatusUpdate: (sts, old) => validateStatefulSetStatusUpdate(sts, old),
};
