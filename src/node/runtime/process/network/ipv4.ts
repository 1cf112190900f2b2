// Pure IPv4 address and CIDR arithmetic (addresses as unsigned 32-bit numbers).

export interface Cidr {
  /** Network address (host bits cleared). */
  base: number;
  prefix: number;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIPv4(text: string): number {
  const m = DOTTED.exec(text.trim());
  if (!m) throw new Error(`invalid IPv4 address ${JSON.stringify(text)}`);
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) throw new Error(`invalid IPv4 address ${JSON.stringify(text)}`);
    n = n * 256 + octet;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(text: string): boolean {
  try {
    parseIPv4(text);
    return true;
  } catch {
    return false;
  }
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; a bare address is a /32. Host bits must be clear (as `ip route` would insist). */
export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) throw new Error(`invalid CIDR ${JSON.stringify(text)}`);
  const prefix = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || (len !== undefined && !/^\d+$/.test(len))) {
    throw new Error(`invalid CIDR ${JSON.stringify(text)}`);
  }
  const ip = parseIPv4(addr);
  const base = (ip & maskOf(prefix)) >>> 0;
  if (base !== ip) throw new Error(`CIDR ${text} has host bits set (did you mean ${formatIPv4(base)}/${prefix}?)`);
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function lastAddress(c: Cidr): number {
  return c.base + size(c) - 1;
}

export function containsAddress(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= lastAddress(c);
}

/** True when `inner` lies entirely within `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && containsAddress(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** The n-th address of a range (0 is the network address). */
export function nthAddress(c: Cidr, n: number): number {
  if (n < 0 || n >= size(c)) throw new Error(`address #${n} is outside ${formatCidr(c)}`);
  return c.base + n;
}

/** The first sub-range of the given prefix length, e.g. the first /24 of a /16. */
export function firstSubnet(c: Cidr, prefix: number): Cidr {
  if (prefix < c.prefix) throw new Error(`/${prefix} is larger than ${formatCidr(c)}`);
  return { base: c.base, prefix };
}
