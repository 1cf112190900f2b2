// Running a step over every pod of a list: in order, stopping at the first that says
// "stop" (OrderedReady), or in slow-start batches of 1, 2, 4 … capped at MAX_BATCH_SIZE
// that run concurrently and stop after a batch with any failure (Parallel).

import { aggregate } from './errors.js';

/** Upstream's MaxBatchSize: a realistic bound on requests in flight. */
export const MAX_BATCH_SIZE = 500;

/** Returns what fn returns: whether processing should stop here (monotonic mode only). */
export type StepFn = (i: number) => Promise<boolean>;

/**
 * Runs fn for indexes 0..count-1 in batches that double from `initial`, each batch
 * concurrently. Stops after the first batch with a failure and rejects with its errors;
 * resolves with the number of successful calls. `onBatch` sees each batch size (tests).
 */
export async function slowStartBatch(initial: number, count: number, fn: StepFn, onBatch?: (size: number) => void): Promise<number> {
  let successes = 0;
  let next = 0;
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining, MAX_BATCH_SIZE)) {
    onBatch?.(size);
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < size; k++) {
      const i = next++;
      batch.push(fn(i).then(() => undefined, (err: unknown) => err ?? new Error('unknown error')));
    }
    const errs = (await Promise.all(batch)).filter((e) => e !== undefined);
    successes += size - errs.length;
    if (errs.length > 0) {
      throw aggregate(errs);
    }
    remaining -= size;
  }
  return successes;
}

/**
 * Monotonic: sequential, stop at the first "stop" or failure. Burst: slow-start batches,
 * "stop" ignored. Resolves true when processing should not continue past this phase.
 */
export async function runForAll(count: number, fn: StepFn, monotonic: boolean, onBatch?: (size: number) => void): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) {
      if (await fn(i)) return true;
    }
    return false;
  }
  await slowStartBatch(1, count, fn, onBatch);
  return false;
}
