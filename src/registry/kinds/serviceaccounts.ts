// ServiceAccount (core/v1): metadata rules only; the token machinery lives elsewhere.

import { FieldPath } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';

const META = FieldPath.root('metadata');

export const serviceAccountStrategy: Strategy = {
  validate(obj) {
    return validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META);
  },
  validateUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, META);
  },
};
