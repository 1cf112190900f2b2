// Runs a Strategy the way the generic registry does, without a store.

import { clone, deepEqual, type KObject } from '../../../src/api/object.js';
import { errorText, type FieldError } from '../../../src/api/field-errors.js';
import type { Strategy, StrategyContext } from '../../../src/registry/strategy.js';
import { keepOldStatus, prepareMetaForUpdate, takeStatusOnly } from '../../../src/registry/object-meta.js';

export const ctx: StrategyContext = {
  now: () => new Date('2025-05-01T10:00:00.000Z'),
  usedClusterIPs: () => new Set(),
  serviceCIDR: '10.96.0.0/16',
};

export function create(strategy: Strategy, input: KObject): { obj: KObject; errors: string[] } {
  const obj = clone(input);
  if (strategy.tracksGeneration) obj.metadata.generation = 1;
  strategy.defaults?.(obj);
  strategy.prepareForCreate?.(obj, ctx);
  return { obj, errors: texts(strategy.validate?.(obj, ctx) ?? []) };
}

export function update(strategy: Strategy, input: KObject, old: KObject): { obj: KObject; errors: string[] } {
  const obj = clone(input);
  prepareMetaForUpdate(obj.metadata, old.metadata);
  if (strategy.hasStatusSubresource) keepOldStatus(obj, old);
  strategy.defaults?.(obj);
  strategy.prepareForUpdate?.(obj, old, ctx);
  if (strategy.tracksGeneration && !deepEqual(obj.spec, old.spec)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
  return { obj, errors: texts(strategy.validateUpdate?.(obj, old, ctx) ?? []) };
}

export function updateStatus(strategy: Strategy, input: KObject, old: KObject): { obj: KObject; errors: string[] } {
  const obj = takeStatusOnly(input, old);
  strategy.defaults?.(obj);
  strategy.prepareForStatusUpdate?.(obj, old, ctx);
  return { obj, errors: texts(strategy.validateStatusUpdate?.(obj, old, ctx) ?? []) };
}

export const texts = (errs: FieldError[]) => errs.map(errorText);
