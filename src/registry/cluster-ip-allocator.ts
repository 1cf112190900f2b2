// Service ClusterIP allocation over an IPv4 CIDR (pure). Upstream reserves the network and
// broadcast addresses, and the first usable address goes to the `kubernetes` Service, so
// ordinary Services are allocated from the rest of the range.

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/16';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
  text: string;
}

export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const addr = parseIPv4(ip ?? '');
  const prefix = Number(bits);
  if (addr === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`invalid CIDR ${text}`);
  const size = 2 ** (32 - prefix);
  const base = addr - (addr % size);
  return { base, prefix, size, text: `${formatIPv4(base)}/${prefix}` };
}

/** The address upstream hands the `kubernetes` Service: the first usable one of the range. */
export function kubernetesServiceIP(cidrText: string = DEFAULT_SERVICE_CIDR): string {
  return formatIPv4(parseCidr(cidrText).base + 1);
}

function usableBounds(c: Cidr): [number, number] {
  // /31 and /32 have no network/broadcast address to skip.
  return c.size <= 2 ? [c.base, c.base + c.size - 1] : [c.base + 1, c.base + c.size - 2];
}

export function ipInRange(ip: string, cidrText: string): boolean {
  const n = parseIPv4(ip);
  if (n === undefined) return false;
  const [lo, hi] = usableBounds(parseCidr(cidrText));
  return n >= lo && n <= hi;
}

export type IPCheck = { ok: true } | { ok: false; detail: string };

/**
 * Checks a user-requested ClusterIP. The detail is the text after `failed to allocate IP <ip>: `
 * in upstream's message; callers wrap it (see `requestedIPError`).
 */
export function checkRequestedIP(ip: string, cidrText: string, used: Set<string>): IPCheck {
  const c = parseCidr(cidrText);
  if (!ipInRange(ip, cidrText)) {
    return { ok: false, detail: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${c.text}` };
  }
  if (used.has(ip)) return { ok: false, detail: 'provided IP is already allocated' };
  return { ok: true };
}

/** Upstream's full detail: `failed to allocate IP 10.0.0.5: <reason>`. */
export function requestedIPError(ip: string, detail: string): string {
  return `failed to allocate IP ${ip}: ${detail}`;
}

/**
 * Picks a free address, starting at a random offset and wrapping, skipping the first usable
 * address (reserved for the kubernetes Service). Returns undefined when the range is full.
 * `random` is injectable so tests can be deterministic.
 */
export function allocateClusterIP(
  cidrText: string,
  used: Set<string>,
  random: () => number = Math.random,
  opts: { allowReserved?: boolean } = {},
): string | undefined {
  const c = parseCidr(cidrText);
  const [lo0, hi] = usableBounds(c);
  const lo = opts.allowReserved || hi - lo0 < 1 ? lo0 : lo0 + 1;
  const count = hi - lo + 1;
  if (count <= 0) return undefined;
  const start = Math.floor(random() * count) % count;
  for (let i = 0; i < count; i++) {
    const ip = formatIPv4(lo + ((start + i) % count));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}
