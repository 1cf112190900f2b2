// Lease (coordination.k8s.io/v1): the spec's few numeric and enum rules.

import type { KObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { FieldPath, invalid, notSupported, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';

const META = FieldPath.root('metadata');
const SPEC = FieldPath.root('spec');
const STRATEGIES = ['OldestEmulationVersion'];

function validateLeaseSpec(lease: KObject): FieldError[] {
  const spec = isPlainObject(lease.spec) ? lease.spec : {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) errs.push(invalid(SPEC.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errs.push(invalid(SPEC.child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
  }
  const strategy = spec.strategy;
  if (typeof strategy === 'string' && strategy && !STRATEGIES.includes(strategy)) errs.push(notSupported(SPEC.child('strategy'), strategy, STRATEGIES));
  return errs;
}

export const leaseStrategy: Strategy = {
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META), ...validateLeaseSpec(obj)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateLeaseSpec(obj)];
  },
};
