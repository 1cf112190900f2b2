// Query parameters shared by the write verbs: dryRun and fieldValidation, checked the way
// upstream checks them.

import { badRequest } from '../api/errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dry run option: ${JSON.stringify(values)}. Valid values are: [All]`.replace(/"/g, ''));
  }
  return values.length > 0;
}

/** Absent means Warn, the server default since field validation went GA. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}; valid values are: Strict, Warn, Ignore`);
}

export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: ${v}`);
  return n;
}
