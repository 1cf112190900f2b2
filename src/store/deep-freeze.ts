// Cached objects are handed out by reference (copying 10,000 pods per list would cost more
// than the list itself), so they are frozen: a caller that mutates one gets a TypeError at
// the mutation instead of silently corrupting the cache. Callers clone() before editing.

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as object)) deepFreeze(v);
  return Object.freeze(value);
}
