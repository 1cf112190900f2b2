// Pod registry rules (pkg/registry/core/pod/strategy.go), plus what the default admission
// chain adds to every new pod (DefaultTolerationSeconds, Priority, ServiceAccount).

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { FieldPath, forbidden, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { defaultPodOnlySpec, defaultPodSpec } from '../defaults/pod-spec.js';
import { canonicalizeResourceList } from '../validation/core-values.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../validation/metadata.js';
import { validatePodSpec } from '../validation/pod-spec.js';
import { validatePodSpecUpdate, validatePodStatus } from '../validation/pod-update.js';
import { podQOSClass } from './pod-qos.js';

export { applyBinding, type Binding } from './pod-binding.js';
export { podQOSClass, type QOSClass } from './pod-qos.js';

type J = JsonObject;

const specOf = (pod: KObject): J => (isPlainObject(pod.spec) ? pod.spec : (pod.spec = {}));
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Seconds a pod stays bound to an unready or unreachable node before it is evicted. */
export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** DefaultTolerationSeconds admission: tolerate the node-lifecycle taints for 300 s. */
export function addDefaultTolerations(spec: J): void {
  const list = objects(spec.tolerations);
  const covers = (taint: string) =>
    list.some((t) => (str(t.key) === taint || !str(t.key)) && (str(t.effect) === 'NoExecute' || !str(t.effect)));
  const extra: J[] = [];
  for (const taint of [NOT_READY, UNREACHABLE]) {
    if (!covers(taint)) extra.push({ key: taint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  if (extra.length) spec.tolerations = [...list, ...extra];
}

// The built-in priority classes; any other class name is taken to exist with priority 0.
const BUILTIN_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** Priority and ServiceAccount admission, as far as they touch the stored pod. */
function admitNewPod(spec: J): void {
  if (typeof spec.priority !== 'number') spec.priority = BUILTIN_PRIORITIES[str(spec.priorityClassName)] ?? 0;
  if (!str(spec.preemptionPolicy)) spec.preemptionPolicy = 'PreemptLowerPriority';
  if (!str(spec.serviceAccountName)) {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  addDefaultTolerations(spec);
}

/** v1 carries both podIP and podIPs (and hostIP/hostIPs); the list wins, a lone single seeds it. */
function syncIPFields(status: J, single: string, plural: string): void {
  const list = objects(status[plural]);
  if (list.length) status[single] = list[0]!.ip;
  else if (str(status[single])) status[plural] = [{ ip: status[single] }];
}

function defaultPod(pod: KObject): void {
  const spec = specOf(pod);
  defaultPodSpec(spec);
  defaultPodOnlySpec(spec);
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) {
    if (isPlainObject(c.resources)) {
      canonicalizeResourceList(c.resources.limits);
      canonicalizeResourceList(c.resources.requests);
    }
  }
  if (isPlainObject(pod.status)) {
    syncIPFields(pod.status, 'podIP', 'podIPs');
    syncIPFields(pod.status, 'hostIP', 'hostIPs');
  }
}

function initialStatus(pod: KObject, now: Date): J {
  const status: J = { phase: 'Pending', qosClass: podQOSClass(pod) };
  if (objects(specOf(pod).schedulingGates).length) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  return status;
}

/**
 * The grace period to record on delete: 0 (delete now) for a pod never scheduled or already
 * finished; otherwise the requested period, else the pod's own, with negatives raised to 1.
 */
export function podDeletionGracePeriod(pod: KObject, requested: number | undefined): number {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const phase = isPlainObject(pod.status) ? str(pod.status.phase) : '';
  let period = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  if (!str(spec.nodeName)) period = 0;
  if (phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period < 0 ? 1 : period;
}

/** Field-selector values (ToSelectableFields), every key present. */
export function podSelectableFields(pod: KObject): Record<string, string> {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const status = isPlainObject(pod.status) ? pod.status : {};
  const podIPs = objects(status.podIPs);
  return {
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': str(status.phase),
    'status.podIP': podIPs.length ? str(podIPs[0]!.ip) : str(status.podIP),
    'status.nominatedNodeName': str(status.nominatedNodeName),
  };
}

function validatePod(pod: KObject): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpec(specOf(pod), FieldPath.root('spec')));
  return errs;
}

export const podStrategy: Strategy = {
  hasStatusSubresource: true,
  // Since 1.33 pods carry metadata.generation, bumped on every spec change.
  tracksGeneration: true,

  defaults: defaultPod,

  prepareForCreate(pod, ctx) {
    pod.metadata.generation = 1;
    admitNewPod(specOf(pod));
    pod.status = initialStatus(pod, ctx.now());
  },

  prepareForUpdate(pod, old) {
    // DefaultTolerationSeconds admission also runs on update, so a PUT that drops them keeps them.
    const oldTolerations = objects(specOf(old).tolerations);
    if (oldTolerations.some((t) => t.key === NOT_READY || t.key === UNREACHABLE)) addDefaultTolerations(specOf(pod));
  },

  prepareForStatusUpdate(pod, old) {
    // The QoS class is fixed at creation; old kubelets drop it from their status writes.
    const status = isPlainObject(pod.status) ? pod.status : (pod.status = {});
    const oldStatus = isPlainObject(old.status) ? old.status : {};
    if (!str(status.qosClass) && str(oldStatus.qosClass)) status.qosClass = oldStatus.qosClass;
    if (status.observedGeneration === undefined && oldStatus.observedGeneration !== undefined) status.observedGeneration = oldStatus.observedGeneration;
  },

  validate(pod) {
    const errs = validatePod(pod);
    if (objects(specOf(pod).ephemeralContainers).length) {
      errs.push(forbidden(FieldPath.root('spec').child('ephemeralContainers'), 'cannot be set on create'));
    }
    return errs;
  },

  validateUpdate(pod, old) {
    const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
    errs.push(...validatePodSpec(specOf(pod), FieldPath.root('spec')));
    errs.push(...validatePodSpecUpdate(specOf(pod), specOf(old)));
    return errs;
  },

  validateStatusUpdate(pod, old) {
    const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
    errs.push(...validatePodStatus(pod.status));
    return errs;
  },

  deletionGracePeriod: podDeletionGracePeriod,
  fieldSelectorFields: podSelectableFields,
};
