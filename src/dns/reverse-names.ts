// Reverse names (RFC 1035 §3.5, RFC 3596 §2.5) and the CIDRs whose reverse zones we answer for.

import { isIPv4, isIPv6 } from 'node:net';
import { ipv4Bytes, ipv6Bytes, ipv6FromBytes } from './wire/rdata.js';

export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
  family: 4 | 6;
}

export type ReverseName =
  | { kind: 'ip'; ip: string; family: 4 | 6 }
  /** A name under in-addr.arpa / ip6.arpa that is not a whole address. */
  | { kind: 'partial'; family: 4 | 6; bytes: Uint8Array; bits: number };

/** `relative` is the name minus `in-addr.arpa` or `ip6.arpa`, lower case. */
export function parseReverseName(relative: readonly string[], family: 4 | 6): ReverseName | undefined {
  if (family === 4) {
    if (relative.length > 4) return undefined;
    if (!relative.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255)) return undefined;
    const octets = [...relative].reverse().map(Number);
    if (octets.length === 4) return { kind: 'ip', ip: octets.join('.'), family: 4 };
    const bytes = new Uint8Array(4);
    bytes.set(octets);
    return { kind: 'partial', family: 4, bytes, bits: octets.length * 8 };
  }
  if (relative.length > 32 || !relative.every((l) => /^[0-9a-f]$/.test(l))) return undefined;
  const nibbles = [...relative].reverse().map((l) => parseInt(l, 16));
  const bytes = new Uint8Array(16);
  nibbles.forEach((v, i) => (bytes[i >> 1] = bytes[i >> 1]! | (i % 2 === 0 ? v << 4 : v)));
  if (nibbles.length === 32) return { kind: 'ip', ip: ipv6FromBytes(bytes), family: 6 };
  return { kind: 'partial', family: 6, bytes, bits: nibbles.length * 4 };
}

export function parseCidr(text: string): Cidr {
  const [addr, len] = text.split('/') as [string, string | undefined];
  const family = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : undefined;
  if (!family) throw new Error(`not a CIDR: ${text}`);
  const max = family === 4 ? 32 : 128;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`not a CIDR: ${text}`);
  return { bytes: family === 4 ? ipv4Bytes(addr) : ipv6Bytes(addr), prefix, family };
}

/** Whether the first `bits` bits of `bytes` lie inside the CIDR (a partial name may be wider). */
export function prefixInCidr(bytes: Uint8Array, bits: number, family: 4 | 6, cidr: Cidr): boolean {
  if (family !== cidr.family) return false;
  const n = Math.min(bits, cidr.prefix);
  for (let i = 0; i < n; i++) {
    const bit = (b: Uint8Array) => (b[i >> 3]! >> (7 - (i & 7))) & 1;
    if (bit(bytes) !== bit(cidr.bytes)) return false;
  }
  return bits >= cidr.prefix;
}

export function ipInCidr(ip: string, cidr: Cidr): boolean {
  const family = isIPv4(ip) ? 4 : 6;
  return prefixInCidr(family === 4 ? ipv4Bytes(ip) : ipv6Bytes(ip), family === 4 ? 32 : 128, family, cidr);
}

/** The reverse zone apex for a CIDR, rounded out to a whole octet (or nibble). */
export function reverseZoneOf(cidr: Cidr): string[] {
  if (cidr.family === 4) {
    const octets = Array.from(cidr.bytes.subarray(0, Math.floor(cidr.prefix / 8)));
    return [...octets.reverse().map(String), 'in-addr', 'arpa'];
  }
  const nibbles: string[] = [];
  for (let i = 0; i < Math.floor(cidr.prefix / 4); i++) nibbles.push(((cidr.bytes[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf).toString(16));
  return [...nibbles.reverse(), 'ip6', 'arpa'];
}
