// Namespace (core/v1). Created Active with the `kubernetes` finalizer; the generic registry
// turns a delete into phase Terminating and the namespace controller finalizes it.

import { isPlainObject } from '../../api/object.js';
import { FieldPath, invalid, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSLabel, isQualifiedName } from '../validation/metadata.js';
import { arrayAt, ensureObject, stringAt } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** spec.finalizers entries: qualified names, and bare names only when they are standard ones. */
export function validateNamespaceFinalizers(finalizers: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) {
    const name = String(f);
    for (const m of isQualifiedName(name)) errs.push(invalid(path, name, m));
    if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
      errs.push(invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaceStrategy: Strategy = {
  hasStatusSubresource: true,
  defaults(obj) {
    // The name label is defaulted (and so restored) on every write.
    const name = obj.metadata.name;
    if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    const spec = ensureObject(obj, 'spec');
    const finalizers = arrayAt(spec, 'finalizers');
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    // spec.finalizers change only through the finalize subresource.
    const spec = ensureObject(obj, 'spec');
    const oldFinalizers = isPlainObject(old.spec) ? old.spec.finalizers : undefined;
    if (oldFinalizers === undefined) delete spec.finalizers;
    else spec.finalizers = structuredClone(oldFinalizers);
    if (old.status !== undefined) obj.status = structuredClone(old.status);
  },
  validate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, false, nameIsDNSLabel, META),
      ...validateNamespaceFinalizers(arrayAt(obj.spec, 'finalizers'), FieldPath.root('spec').child('finalizers')),
    ];
  },
  validateUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, META);
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, META);
    const phase = stringAt(obj.status, 'phase');
    const path = FieldPath.root('status').child('Phase');
    if (!obj.metadata.deletionTimestamp) {
      if (phase !== 'Active') errs.push(invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty"));
    } else if (phase !== 'Terminating') {
      errs.push(invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
    }
    return errs;
  },
  fieldSelectorFields(obj) {
    return { 'status.phase': stringAt(obj.status, 'phase') };
  },
};

/** The finalize subresource's rule: only spec.finalizers change, each a valid finalizer name. */
export function validateNamespaceFinalize(obj: { spec?: unknown }): FieldError[] {
  return validateNamespaceFinalizers(arrayAt(obj.spec, 'finalizers'), FieldPath.root('spec').child('finalizers'));
}
