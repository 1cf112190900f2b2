// What makes one kind's objects valid: the per-resource rules of the real apiserver
// (pkg/registry/*/strategy.go upstream). The generic registry calls these hooks; a kind
// supplies only the ones it needs.

import type { KObject } from '../api/object.js';
import type { FieldError } from '../api/field-errors.js';

export interface StrategyContext {
  now(): Date;
  /** Cluster IPs already allocated to Services (for the service allocator). */
  usedClusterIPs(): Set<string>;
  /** The service CIDR, e.g. "10.96.0.0/16". */
  serviceCIDR: string;
}

export interface Strategy {
  /**
   * Whether writes to the main resource ignore `status` (and the status subresource
   * changes only status). True for every kind with a status subresource.
   */
  hasStatusSubresource?: boolean;
  /** Whether `metadata.generation` is bumped when `spec` changes. */
  tracksGeneration?: boolean;
  /** Fill upstream defaults. Idempotent; runs on every create and update (and patch). */
  defaults?(obj: KObject): void;
  /** Mutations on create beyond defaults (status reset, allocation). */
  prepareForCreate?(obj: KObject, ctx: StrategyContext): void;
  /** Mutations on update (e.g. carrying over fields the user may not change). */
  prepareForUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  /**
   * Mutations on a `/status` write, after the status-only merge and before validation (e.g.
   * pods keep their qosClass when a kubelet omits it).
   */
  prepareForStatusUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  validate?(obj: KObject, ctx: StrategyContext): FieldError[];
  validateUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): FieldError[];
  validateStatusUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): FieldError[];
  /**
   * Graceful deletion (pods): the grace period to record in deletionGracePeriodSeconds, or 0
   * to delete at once. `requested` is the client's gracePeriodSeconds, if any. Kinds without
   * this hook are deleted at once (unless finalizers hold them).
   */
  deletionGracePeriod?(obj: KObject, requested: number | undefined): number;
  /**
   * Field-selector values this kind supports beyond metadata.name / metadata.namespace.
   * Must return every supported key, with "" for missing values, even for an empty object.
   */
  fieldSelectorFields?(obj: KObject): Record<string, string>;
}
