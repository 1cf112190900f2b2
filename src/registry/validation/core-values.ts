// Small value checks used by the core kinds' rules (ports, IPs, config keys, quantities),
// with apimachinery's detail texts, plus loose accessors over plain JSON objects.

import { isPlainObject, type JsonObject } from '../../api/object.js';
import { invalid, type FieldError, type FieldPath } from '../../api/field-errors.js';
import { parseQuantity, formatQuantity, quantitySign } from '../../api/quantity.js';
import { maxLenError, regexError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './metadata.js';

export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

export function isValidPortNum(p: unknown): string[] {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** An IntOrString port: a number in 1..65535 or an IANA-style port name. */
export function validatePortNumOrName(v: unknown, path: FieldPath): FieldError[] {
  if (typeof v === 'string') return isValidPortName(v).map((m) => invalid(path, v, m));
  return isValidPortNum(v).map((m) => invalid(path, v, m));
}

export function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && !(p.length > 1 && p.startsWith('0')));
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && (ip.match(/::/g) ?? []).length <= 1;
}

export function isValidIP(ip: string): string[] {
  return isIPv4(ip) || isIPv6(ip) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(v)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export const validateDNS1123Label = (v: string, path: FieldPath) => isDNS1123Label(v).map((m) => invalid(path, v, m));
export const validateDNS1123Subdomain = (v: string, path: FieldPath) => isDNS1123Subdomain(v).map((m) => invalid(path, v, m));
export const validateQualifiedName = (v: string, path: FieldPath) => isQualifiedName(v).map((m) => invalid(path, v, m));

/** A quantity that must parse and be > 0 (ValidatePositiveQuantityValue). */
export function validatePositiveQuantity(v: unknown, path: FieldPath): FieldError[] {
  const q = typeof v === 'string' ? parseQuantity(v) : typeof v === 'number' ? parseQuantity(String(v)) : undefined;
  if (!q) return [invalid(path, v, 'must be a valid quantity')];
  if (quantitySign(q) <= 0) return [invalid(path, formatQuantity(q), 'must be greater than zero')];
  return [];
}

/** Rewrites every quantity of a resource list in canonical form, as re-encoding does upstream. */
export function canonicalizeResourceList(list: unknown): void {
  if (!isPlainObject(list)) return;
  for (const [k, v] of Object.entries(list)) {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
    if (q) list[k] = formatQuantity(q);
  }
}

// ---- loose accessors: stored objects are plain JSON ----

/** Returns obj[key] as an object, creating it when absent. */
export function ensureObject(obj: JsonObject, key: string): JsonObject {
  const cur = obj[key];
  if (isPlainObject(cur)) return cur;
  const fresh: JsonObject = {};
  obj[key] = fresh;
  return fresh;
}

export function objectAt(obj: unknown, key: string): JsonObject | undefined {
  if (!isPlainObject(obj)) return undefined;
  const v = obj[key];
  return isPlainObject(v) ? v : undefined;
}

export function arrayAt(obj: unknown, key: string): unknown[] {
  if (!isPlainObject(obj)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

export function stringAt(obj: unknown, key: string): string {
  if (!isPlainObject(obj)) return '';
  const v = obj[key];
  return typeof v === 'string' ? v : '';
}

/** Sorted keys, so errors come out in a stable order (Go maps iterate randomly anyway). */
export function sortedKeys(m: unknown): string[] {
  return isPlainObject(m) ? Object.keys(m).sort() : [];
}
