// Field errors as upstream's `k8s.io/apimachinery/pkg/util/validation/field` renders them.
// A 422 Invalid Status carries one cause per error; kubectl rebuilds its message from them.

import { StatusError, type StatusCause } from './errors.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, when the error shows it. */
  value?: unknown;
  hasValue?: boolean;
  detail?: string;
}

/** Builds field paths the upstream way: `spec.template.spec.containers[0].image`, `metadata.labels[app]`. */
export class FieldPath {
  private constructor(private readonly path: string) {}
  static root(name = ''): FieldPath {
    return new FieldPath(name);
  }
  child(name: string, ...more: string[]): FieldPath {
    let p = this.path ? `${this.path}.${name}` : name;
    for (const m of more) p = `${p}.${m}`;
    return new FieldPath(p);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.path}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.path}[${k}]`);
  }
  toString(): string {
    return this.path;
  }
}

type P = FieldPath | string;
const s = (p: P) => p.toString();

export const required = (p: P, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: s(p), detail });
export const invalid = (p: P, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field: s(p), value, hasValue: true, detail });
export const forbidden = (p: P, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: s(p), detail });
export const duplicate = (p: P, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: s(p), value, hasValue: true });
export const notFoundField = (p: P, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: s(p), value, hasValue: true });
export const tooLong = (p: P, max: number): FieldError => ({ type: 'FieldValueTooLong', field: s(p), detail: `may not be more than ${max} bytes` });
export const tooMany = (p: P, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field: s(p), detail: `must have at most ${max} items`, value: actual });
export function notSupported(p: P, value: unknown, supported: string[]): FieldError {
  const detail = supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field: s(p), value, hasValue: true, detail };
}

/** A value already rendered the way Go prints it (`map[string]string{...}`, `&LabelSelector{...}`). */
export class GoValue {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

/** Go's `%#v`-ish value rendering used in "Invalid value: …". */
export function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]${v.length && typeof v[0] === 'string' ? 'string' : 'interface {}'}{${v.map(formatValue).join(', ')}}`;
  return JSON.stringify(v);
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The text after `field: `, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
export function errorBody(e: FieldError): string {
  let out = TYPE_TEXT[e.type];
  if (e.hasValue && e.type !== 'FieldValueTooLong') out += `: ${formatValue(e.value)}`;
  if (e.detail) out += `: ${e.detail}`;
  return out;
}

export function errorText(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

/**
 * 422 Invalid, with upstream's message: `StatefulSet.apps "web" is invalid: spec.replicas: ...`,
 * or `[a, b]` when there are several errors.
 */
export function invalidError(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const texts = errs.map(errorText);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, { name, group, kind, causes });
}

/** Throws a 422 when `errs` is non-empty. */
export function throwIfInvalid(group: string, kind: string, name: string, errs: FieldError[]): void {
  if (errs.length) throw invalidError(group, kind, name, errs);
}
