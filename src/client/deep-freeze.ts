// Informer caches hand the same object to every controller; freezing it turns an accidental
// in-place change (which would corrupt every other reader's view) into an immediate TypeError.

export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}
