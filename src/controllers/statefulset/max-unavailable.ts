// rollingUpdate.maxUnavailable as a pod count (upstream getStatefulSetMaxUnavailable):
// an int as is, a percentage of replicas rounded DOWN (the API doc says up; the code
// rounds down), never below 1; unset means 1.

export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(-?[0-9]+)%$/.exec(v);
  if (m) return Math.floor((Number(m[1]) * total) / 100);
  // intstr accepts a plain integer in a string only as a percentage-less error.
  throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
}

export function maxUnavailableCount(v: number | string | undefined, replicas: number): number {
  const n = scaledValue(v ?? 1, replicas);
  return n < 1 ? 1 : n;
}
