// Remembers the slices this controller last wrote, per Service (upstream EndpointSliceTracker),
// so that a sync never plans from an informer cache that has not yet seen the controller's own
// writes (which would create duplicate slices), and so that the controller's own writes do not
// wake it again. Upstream compares metadata.generation; ordinal's store does not advance the
// generation of EndpointSlices, so the resourceVersion stands in for it.

import type { KObject } from '../../api/object.js';

const DELETION_EXPECTED = 'deletion-expected';

/** a is older than b, when both are comparable store revisions. */
function olderThan(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) < BigInt(b);
  return false;
}

export class SliceTracker {
  private readonly byService = new Map<string, Map<string, string>>();

  constructor(private readonly serviceKeyOf: (slice: KObject) => string | undefined) {}

  private entries(slice: KObject, create: boolean): Map<string, string> | undefined {
    const key = this.serviceKeyOf(slice);
    if (!key) return undefined;
    let m = this.byService.get(key);
    if (!m && create) this.byService.set(key, (m = new Map()));
    return m;
  }

  /** Records a slice as the server returned it after our create or update. */
  update(slice: KObject): void {
    this.entries(slice, true)?.set(slice.metadata.uid ?? '', slice.metadata.resourceVersion ?? '');
  }

  expectDeletion(slice: KObject): void {
    this.entries(slice, true)?.set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  has(slice: KObject): boolean {
    return this.entries(slice, false)?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** Whether an informer event for this slice is news: not our own latest write. */
  shouldSync(slice: KObject): boolean {
    const rv = this.entries(slice, false)?.get(slice.metadata.uid ?? '');
    return rv === undefined || rv === DELETION_EXPECTED || rv !== slice.metadata.resourceVersion;
  }

  /** Forgets a deleted slice; true when we deleted it ourselves. */
  handleDeletion(slice: KObject): boolean {
    const m = this.entries(slice, false);
    const rv = m?.get(slice.metadata.uid ?? '');
    m?.delete(slice.metadata.uid ?? '');
    return rv === DELETION_EXPECTED;
  }

  /** Whether the cache lags our writes for this Service: a write not yet seen, or a deleted slice still listed. */
  staleSlices(serviceKey: string, slices: KObject[]): boolean {
    const m = this.byService.get(serviceKey);
    if (!m) return false;
    const listed = new Set<string>();
    for (const s of slices) {
      const uid = s.metadata.uid ?? '';
      listed.add(uid);
      const rv = m.get(uid);
      if (rv === DELETION_EXPECTED) return true;
      if (rv !== undefined && olderThan(s.metadata.resourceVersion ?? '', rv)) return true;
    }
    for (const [uid, rv] of m) if (rv !== DELETION_EXPECTED && !listed.has(uid)) return true;
    return false;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
