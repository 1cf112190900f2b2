// One question in, records out: the cluster zone from the index, the reverse zones from the
// index's PTR map, and a verdict of "not ours" for everything else.

import { lookupNode, type Address, type NodeContext, type SrvTarget, type ZoneNode } from './cluster-node.js';
import { parseReverseName, prefixInCidr, reverseZoneOf, type Cidr } from './reverse-names.js';
import { RRClass, Rcode, RRType } from './wire/constants.js';
import type { Question, ResourceRecord } from './wire/message.js';
import { lowerName, nameFromString, type Name } from './wire/name.js';
import { ipv4Bytes, ipv6Bytes } from './wire/rdata.js';

export interface ResolverContext extends NodeContext {
  ttl: number;
  /** Reverse zones we are authoritative for; undefined means all of in-addr.arpa and ip6.arpa. */
  reverseCidrs: Cidr[] | undefined;
}

export interface Resolution {
  rcode: number;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  /** Not our zone: REFUSED, or forwarded when forwarding is on. */
  outside?: boolean;
  /** A reverse name we hold nothing for: forwarding may know better. */
  forwardable?: boolean;
}

/** CNAME chains inside the zone are followed this far (ExternalName pointing at a Service). */
const MAX_CNAME_HOPS = 8;

const REFUSED: Resolution = { rcode: Rcode.REFUSED, answers: [], authority: [], additional: [], outside: true };

function endsWith(name: readonly string[], suffix: readonly string[]): boolean {
  if (name.length < suffix.length) return false;
  const off = name.length - suffix.length;
  return suffix.every((l, i) => name[off + i] === l);
}

export function resolveQuestion(q: Question, ctx: ResolverContext): Resolution {
  if (q.class !== RRClass.IN) return REFUSED;
  const lower = lowerName(q.name);
  if (lower.some((l) => l.includes('.'))) return REFUSED;
  const zone = nameFromString(ctx.zone);
  if (endsWith(lower, zone)) return resolveCluster(q, lower.slice(0, lower.length - zone.length), ctx);
  if (endsWith(lower, ['in-addr', 'arpa'])) return resolveReverse(q, lower.slice(0, -2), 4, ctx);
  if (endsWith(lower, ['ip6', 'arpa'])) return resolveReverse(q, lower.slice(0, -2), 6, ctx);
  return REFUSED;
}

function rr(name: Name, type: number, ttl: number, data: ResourceRecord['data']): ResourceRecord {
  return { name, type, class: RRClass.IN, ttl, data };
}

function soa(apex: Name, ctx: ResolverContext): ResourceRecord {
  const zone = nameFromString(ctx.zone);
  return rr(apex, RRType.SOA, ctx.ttl, {
    kind: 'soa',
    mname: ['ns', 'dns', ...zone],
    rname: ['hostmaster', ...zone],
    serial: ctx.index.serial,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: ctx.ttl,
  });
}

function negative(rcode: number, apex: Name, ctx: ResolverContext): Resolution {
  return { rcode, answers: [], authority: [soa(apex, ctx)], additional: [] };
}

function addressRecords(owner: Name, addrs: Address[], family: 4 | 6, ttl: number): ResourceRecord[] {
  return addrs
    .filter((a) => a.family === family)
    .map((a) => (family === 4 ? rr(owner, RRType.A, ttl, { kind: 'a', address: a.ip }) : rr(owner, RRType.AAAA, ttl, { kind: 'aaaa', address: a.ip })));
}

function resolveCluster(q: Question, relative: string[], ctx: ResolverContext): Resolution {
  const zone = nameFromString(ctx.zone);
  const node = lookupNode(relative, ctx);
  if (!node) return negative(Rcode.NXDOMAIN, zone, ctx);
  const out: Resolution = { rcode: Rcode.NOERROR, answers: [], authority: [], additional: [] };
  recordsAt(q.name, node, q.type, ctx, out, 0);
  if (out.answers.length === 0) return negative(Rcode.NOERROR, zone, ctx);
  return out;
}

function recordsAt(owner: Name, node: ZoneNode, type: number, ctx: ResolverContext, out: Resolution, hops: number): void {
  const ttl = ctx.ttl;
  const zone = nameFromString(ctx.zone);
  if (node.cname) {
    // An alias answers every type with itself; in-zone targets are followed for addresses.
    const target = nameFromString(node.cname);
    out.answers.push(rr(owner, RRType.CNAME, ttl, { kind: 'name', target }));
    if (type === RRType.CNAME || hops >= MAX_CNAME_HOPS || !endsWith(target, zone)) return;
    const next = lookupNode(target.slice(0, target.length - zone.length), ctx);
    if (next) recordsAt(target, next, type, ctx, out, hops + 1);
    return;
  }
  switch (type) {
    case RRType.A:
      out.answers.push(...addressRecords(owner, node.addresses, 4, ttl));
      return;
    case RRType.AAAA:
      out.answers.push(...addressRecords(owner, node.addresses, 6, ttl));
      return;
    case RRType.TXT:
      if (node.txt.length) out.answers.push(rr(owner, RRType.TXT, ttl, { kind: 'txt', texts: node.txt }));
      return;
    case RRType.SRV:
      srvRecords(owner, node, ttl, out);
      return;
    case RRType.SOA:
      if (node.apex) out.answers.push(soa(owner, ctx));
      return;
    case RRType.NS:
      if (node.apex) out.answers.push(rr(owner, RRType.NS, ttl, { kind: 'name', target: ['ns', 'dns', ...zone] }));
      return;
  }
}

/**
 * Equal priorities; weights split 100 evenly, as CoreDNS does. A target+port appears once
 * (dual-stack endpoints share a hostname); its addresses of both families go to additional.
 */
function srvRecords(owner: Name, node: ZoneNode, ttl: number, out: Resolution): void {
  const records = new Map<string, SrvTarget>();
  const glue = new Map<string, Address[]>();
  for (const s of node.srv) {
    const key = `${s.target} ${s.port}`;
    if (!records.has(key)) records.set(key, s);
    const known = glue.get(s.target) ?? [];
    glue.set(s.target, [...known, ...s.addresses.filter((a) => !known.some((k) => k.ip === a.ip))]);
  }
  const weight = records.size ? Math.floor(100 / records.size) : 0;
  for (const s of records.values()) {
    out.answers.push(rr(owner, RRType.SRV, ttl, { kind: 'srv', priority: 0, weight, port: s.port, target: nameFromString(s.target) }));
  }
  for (const [target, addrs] of glue) {
    const name = nameFromString(target);
    out.additional.push(...addressRecords(name, addrs, 4, ttl), ...addressRecords(name, addrs, 6, ttl));
  }
}

function resolveReverse(q: Question, relative: string[], family: 4 | 6, ctx: ResolverContext): Resolution {
  const parsed = parseReverseName(relative, family);
  let apex: Name = family === 4 ? ['in-addr', 'arpa'] : ['ip6', 'arpa'];
  if (ctx.reverseCidrs) {
    const prefix = parsed?.kind === 'ip' ? { bytes: family === 4 ? ipv4Bytes(parsed.ip) : ipv6Bytes(parsed.ip), bits: family === 4 ? 32 : 128 } : parsed;
    const cidr = prefix && ctx.reverseCidrs.find((c) => prefixInCidr(prefix.bytes, prefix.bits, family, c));
    if (!cidr) return REFUSED;
    apex = reverseZoneOf(cidr);
  }
  const names = parsed?.kind === 'ip' ? ctx.index.ptr(parsed.ip) : [];
  if (names.length === 0) return { ...negative(Rcode.NXDOMAIN, apex, ctx), forwardable: !ctx.reverseCidrs };
  if (q.type !== RRType.PTR) return negative(Rcode.NOERROR, apex, ctx);
  const answers = names.map((n) => rr(q.name, RRType.PTR, ctx.ttl, { kind: 'name', target: nameFromString(n) }));
  return { rcode: Rcode.NOERROR, answers, authority: [], additional: [] };
}
