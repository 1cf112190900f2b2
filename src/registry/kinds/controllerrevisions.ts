// ControllerRevision registry rules (pkg/apis/apps/validation ValidateControllerRevision):
// an immutable snapshot; only metadata and `revision` may change after creation.

import { deepEqual, type KObject } from '../../api/object.js';
import { FieldPath, invalid, required, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../validation/metadata.js';
import { validateNonnegative } from '../validation/container.js';

export function validateControllerRevision(rev: KObject): FieldError[] {
  const errs = validateObjectMeta(rev.metadata, true, nameIsDNSSubdomain);
  if (rev.data === undefined || rev.data === null) errs.push(required(FieldPath.root('data'), 'data is mandatory'));
  errs.push(...validateNonnegative(rev.revision, FieldPath.root('revision')));
  return errs;
}

export function validateControllerRevisionUpdate(rev: KObject, old: KObject): FieldError[] {
  const errs = validateObjectMetaUpdate(rev.metadata, old.metadata);
  errs.push(...validateControllerRevision(rev));
  if (!deepEqual(rev.data ?? null, old.data ?? null)) errs.push(invalid(FieldPath.root('data'), rev.data ?? null, 'field is immutable'));
  return errs;
}

export const controllerRevisionStrategy: Strategy = {
  defaults(rev) {
    // `revision` is a plain int64 in Go: always present once stored.
    if (typeof rev.revision !== 'number') rev.revision = 0;
  },
  validate: (rev) => validateControllerRevision(rev),
  validateUpdate: (rev, old) => validateControllerRevisionUpdate(rev, old),
};
