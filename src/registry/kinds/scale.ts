// The statefulsets/scale subresource: a StatefulSet seen as an autoscaling/v1 Scale, and a
// Scale written back as a change of spec.replicas only (pkg/registry/apps/statefulset/storage).

import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { conflict } from '../../api/errors.js';
import { FieldPath, invalid, invalidError } from '../../api/field-errors.js';
import { labelSelectorToString, type LabelSelector } from '../../api/selectors.js';

export interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string | null };
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorString(sel: unknown): string {
  if (!isPlainObject(sel)) return '';
  try {
    return labelSelectorToString(sel as LabelSelector);
  } catch {
    return '';
  }
}

export function scaleFromStatefulSet(sts: KObject): Scale {
  const spec = isPlainObject(sts.spec) ? sts.spec : {};
  const status = isPlainObject(sts.status) ? sts.status : {};
  const m = sts.metadata;
  const metadata: Scale['metadata'] = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  for (const k of Object.keys(metadata) as (keyof Scale['metadata'])[]) if (metadata[k] === undefined) delete metadata[k];
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 0;
  const selector = selectorString(spec.selector);
  // ScaleSpec.replicas is `omitempty`, ScaleStatus.replicas is not.
  const out: Scale = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: replicas ? { replicas } : {},
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0 },
  };
  if (selector) out.status.selector = selector;
  return out;
}

/**
 * The StatefulSet to write for a Scale update: a copy with the new spec.replicas, carrying the
 * Scale's resourceVersion (if any) so the normal update path enforces optimistic concurrency.
 * Throws 422 for negative replicas and 409 for a uid mismatch, as upstream does.
 */
export function applyScaleToStatefulSet(sts: KObject, scale: Partial<Scale> & { spec?: { replicas?: number } }): KObject {
  const name = sts.metadata.name ?? '';
  const replicas = scale.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || replicas < 0) {
    throw invalidError('autoscaling', 'Scale', scale.metadata?.name ?? name, [
      invalid(FieldPath.root('spec').child('replicas'), replicas, 'must be greater than or equal to 0'),
    ]);
  }
  const uid = scale.metadata?.uid;
  if (uid && sts.metadata.uid && uid !== sts.metadata.uid) {
    throw conflict('apps', 'statefulsets', name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${sts.metadata.uid}`);
  }
  const out = clone(sts);
  const spec = isPlainObject(out.spec) ? out.spec : (out.spec = {});
  spec.replicas = replicas;
  if (scale.metadata?.resourceVersion) out.metadata.resourceVersion = scale.metadata.resourceVersion;
  return out;
}
