// Loose readers for JSON objects: printers look at stored objects whose fields may be absent,
// and a missing field must print the same as Go's zero value would.

import { isPlainObject, type JsonObject } from '../object.js';

export function obj(v: unknown): JsonObject {
  return isPlainObject(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Follows a path of keys, yielding undefined as soon as a step is missing. */
export function at(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const k of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Number of keys of a map field (ConfigMap/Secret data). */
export function mapSize(v: unknown): number {
  return isPlainObject(v) ? Object.keys(v).length : 0;
}

/** Label map as `k=v,k2=v2`, keys sorted, `<none>` when empty (labels.FormatLabels). */
export function formatLabels(v: unknown): string {
  if (!isPlainObject(v)) return '<none>';
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${str(v[k])}`).join(',');
}

/** Go's `+ N more...` truncation after `max` items; `<unset>` when nothing was listed. */
export function listWithMore(list: string[], count: number, max: number): string {
  const joined = list.slice(0, max).join(',');
  if (count > max) return `${joined} + ${count - max} more...`;
  return joined === '' ? '<unset>' : joined;
}
