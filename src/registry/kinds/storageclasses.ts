// StorageClass (storage.k8s.io/v1, cluster-scoped). Fields live at the top level, not in spec;
// provisioner, parameters, reclaimPolicy and volumeBindingMode are fixed once created.

import { deepEqual, isPlainObject } from '../../api/object.js';
import { FieldPath, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, isQualifiedName } from '../validation/metadata.js';

const META = FieldPath.root('metadata');
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateStorageClassFields(obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = typeof obj.provisioner === 'string' ? obj.provisioner : '';
  if (!provisioner) errs.push(required(FieldPath.root('provisioner'), provisioner));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(invalid(FieldPath.root('provisioner'), provisioner, m));
  if (isPlainObject(obj.parameters)) {
    let size = 0;
    for (const [k, v] of Object.entries(obj.parameters)) {
      if (!k) errs.push(invalid(FieldPath.root('parameters'), obj.parameters, 'field can not be empty.'));
      size += k.length + String(v).length;
    }
    if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong(FieldPath.root('parameters'), MAX_PARAMETERS_SIZE));
  }
  const policy = obj.reclaimPolicy;
  if (typeof policy !== 'string' || !RECLAIM_POLICIES.includes(policy)) errs.push(notSupported(FieldPath.root('reclaimPolicy'), policy ?? '', RECLAIM_POLICIES));
  const mode = obj.volumeBindingMode;
  if (mode == null) errs.push(required(FieldPath.root('volumeBindingMode')));
  else if (typeof mode !== 'string' || !BINDING_MODES.includes(mode)) errs.push(notSupported(FieldPath.root('volumeBindingMode'), mode, BINDING_MODES));
  return errs;
}

export const storageClassStrategy: Strategy = {
  defaults(obj) {
    if (!obj.reclaimPolicy) obj.reclaimPolicy = 'Delete';
    if (!obj.volumeBindingMode) obj.volumeBindingMode = 'Immediate';
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, false, nameIsDNSSubdomain, META), ...validateStorageClassFields(obj)];
  },
  validateUpdate(obj, old) {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateStorageClassFields(obj)];
    if (!deepEqual(obj.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) errs.push(forbidden(FieldPath.root('provisioner'), 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
    if (obj.volumeBindingMode !== old.volumeBindingMode) errs.push(invalid(FieldPath.root('volumeBindingMode'), obj.volumeBindingMode ?? null, 'field is immutable'));
    return errs;
  },
};
