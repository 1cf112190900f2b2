// Which objects a list or watch returns: label and field selectors, as the apiserver
// applies them (unknown field labels are a 400, as upstream).

import type { KObject } from '../api/object.js';
import { badRequest } from '../api/errors.js';
import { matchesAll, parseFieldSelector, parseLabelSelector, type Requirement } from '../api/selectors.js';
import type { Strategy } from './strategy.js';

export interface ObjectFilter {
  matches(obj: KObject): boolean;
  /** True when the filter selects everything (lets callers skip work). */
  readonly everything: boolean;
}

function fieldValues(obj: KObject, strategy: Strategy, namespaced: boolean): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (namespaced) base['metadata.namespace'] = obj.metadata.namespace ?? '';
  return strategy.fieldSelectorFields ? { ...base, ...strategy.fieldSelectorFields(obj) } : base;
}

export function makeFilter(
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
  strategy: Strategy,
  namespaced: boolean,
  /** `/v1, Resource=pods`, for upstream's error text. */
  gvrText: string,
): ObjectFilter {
  const labelReqs: Requirement[] = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fieldReqs: Requirement[] = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  if (fieldReqs.length) {
    // fieldSelectorFields returns every supported key even for an empty object.
    const supported = fieldValues({ metadata: {} }, strategy, namespaced);
    for (const r of fieldReqs) {
      if (!(r.key in supported) && r.key !== 'metadata.namespace') {
        throw badRequest(
          `Unable to find "${gvrText}" that match label selector "${labelSelector ?? ''}", field selector "${fieldSelector}": field label not supported: ${r.key}`,
        );
      }
    }
  }
  const everything = labelReqs.length === 0 && fieldReqs.length === 0;
  return {
    everything,
    matches(obj: KObject): boolean {
      if (everything) return true;
      if (!matchesAll(labelReqs, obj.metadata.labels)) return false;
      if (fieldReqs.length === 0) return true;
      const values = fieldValues(obj, strategy, namespaced);
      return matchesAll(fieldReqs, values);
    },
  };
}
