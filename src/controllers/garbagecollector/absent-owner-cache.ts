// Owners already proven absent, so that a thousand dependents of one deleted owner cost one
// uncached GET rather than a thousand. Bounded (least recently used goes first), as upstream's
// ReferenceCache of 500 entries: a miss only costs a GET, never a wrong decision.

import { identityKey, type ObjectIdentity } from './object-identity.js';

export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 500) {}

  add(id: ObjectIdentity): void {
    const key = identityKey(id);
    this.entries.delete(key);
    this.entries.set(key, true);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  has(id: ObjectIdentity): boolean {
    const key = identityKey(id);
    if (!this.entries.has(key)) return false;
    // Refresh recency: a hit means the owner is still being asked about.
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}
