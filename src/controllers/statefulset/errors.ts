// Error helpers: the StatusError reasons the algorithm branches on, and Go's
// utilerrors.Aggregate message shape ("a" for one error, "[a, b]" for several).

import { StatusError } from '../../api/errors.js';

export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError ? err.code === 404 || err.reason === 'NotFound' : false;
}
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof StatusError && err.reason === 'AlreadyExists';
}
export function isConflict(err: unknown): boolean {
  return err instanceof StatusError && (err.reason === 'Conflict' || err.code === 409) && err.reason !== 'AlreadyExists';
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Several errors as one; `errors` keeps the parts for callers that look inside. */
export class AggregateError2 extends Error {
  constructor(readonly errors: unknown[]) {
    super(errors.length === 1 ? messageOf(errors[0]) : `[${errors.map(messageOf).join(', ')}]`);
    this.name = 'AggregateError';
  }
}

/** undefined for no errors, the error itself for one, an aggregate for several. */
export function aggregate(errors: unknown[]): unknown {
  const errs = errors.filter((e) => e !== undefined && e !== null);
  if (errs.length === 0) return undefined;
  if (errs.length === 1) return errs[0];
  return new AggregateError2(errs.flatMap((e) => (e instanceof AggregateError2 ? e.errors : [e])));
}
