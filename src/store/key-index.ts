// A sorted array of keys, so that listing a prefix is two binary searches plus a slice
// instead of a scan of every key. Keys are compared as JS strings (UTF-16 code units),
// which for the ASCII keys the registry builds is the same order as etcd's byte order.

export class KeyIndex {
  private keys: string[] = [];

  /** Builds the index from an unordered collection in one sort (used at open). */
  static from(keys: Iterable<string>): KeyIndex {
    const index = new KeyIndex();
    index.keys = [...keys].sort(compare);
    return index;
  }

  get size(): number {
    return this.keys.length;
  }

  add(key: string): void {
    const i = lowerBound(this.keys, key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = lowerBound(this.keys, key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys that start with `prefix`, in order. */
  withPrefix(prefix: string): string[] {
    const start = lowerBound(this.keys, prefix);
    let end = start;
    while (end < this.keys.length && this.keys[end].startsWith(prefix)) end++;
    return this.keys.slice(start, end);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
