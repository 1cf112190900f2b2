// The cluster DNS server: UDP and TCP on each given address (never a wildcard), answering the
// cluster zone from the informers and refusing (or, opted in, forwarding) everything else.

import { isIP } from 'node:net';
import type { ControllerContext } from '../controllers/context.js';
import { hostForwarder } from './forwarder.js';
import { feedIndex } from './informer-sync.js';
import type { ResolverContext } from './resolver.js';
import type { ResponderOptions } from './responder.js';
import { parseCidr } from './reverse-names.js';
import { listenTcp, type TcpListener } from './tcp-listener.js';
import { listenUdp, type UdpListener } from './udp-listener.js';

export interface DnsListenAddress {
  host: string;
  port: number;
}

export interface DnsServerOptions {
  listen: DnsListenAddress[];
  clusterDomain: string;
  /** Record TTL in seconds (CoreDNS's `ttl`, 0–3600). Default 5. */
  ttlSeconds?: number;
  /** 'host' forwards names outside the zone to /etc/resolv.conf's nameservers. Default off. */
  forward?: 'off' | 'host';
  /**
   * CIDRs (pod and service ranges) whose reverse zones we answer for; other reverse names are
   * refused (or forwarded). Default: every reverse name is ours, unknown ones NXDOMAIN.
   */
  reverseCidrs?: string[];
  /** Where unexpected errors go; default stderr. */
  log?: (message: string) => void;
}

export interface RunningDnsServer {
  /** The bound addresses, in the order given, with port 0 resolved (UDP and TCP share it). */
  ports: DnsListenAddress[];
  /** Resolves once the informers have listed; before that, cluster names get SERVFAIL. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const BIND_ATTEMPTS = 5;

function validate(opts: DnsServerOptions): void {
  if (opts.listen.length === 0) throw new Error('dns: no listen address');
  for (const l of opts.listen) {
    if (WILDCARDS.has(l.host) || !isIP(l.host)) throw new Error(`dns: listen host must be a concrete IP address, not ${JSON.stringify(l.host)}`);
    if (!Number.isInteger(l.port) || l.port < 0 || l.port > 65535) throw new Error(`dns: bad port ${l.port}`);
  }
  const ttl = opts.ttlSeconds ?? 5;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw new Error(`dns: ttl must be 0..3600, not ${ttl}`);
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.clusterDomain)) throw new Error(`dns: bad cluster domain ${opts.clusterDomain}`);
}

/** UDP first; with port 0 the TCP side takes the same number, retrying if someone has it. */
async function bindPair(host: string, port: number, responder: ResponderOptions, onError: (e: unknown) => void): Promise<[UdpListener, TcpListener]> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < (port === 0 ? BIND_ATTEMPTS : 1); attempt++) {
    const udp = await listenUdp(host, port, responder, onError);
    try {
      return [udp, await listenTcp(host, udp.port, responder, onError)];
    } catch (err) {
      lastErr = err;
      await udp.close();
    }
  }
  throw lastErr;
}

export async function startDnsServer(ctx: ControllerContext, opts: DnsServerOptions): Promise<RunningDnsServer> {
  validate(opts);
  const log = opts.log ?? ((m: string) => console.error(m));
  const zone = opts.clusterDomain.toLowerCase();
  const feed = feedIndex(ctx.informers, zone);
  const resolver: ResolverContext = {
    index: feed.index,
    zone,
    ttl: opts.ttlSeconds ?? 5,
    namespaceExists: feed.namespaceExists,
    reverseCidrs: opts.reverseCidrs?.map(parseCidr),
  };
  const responder: ResponderOptions = {
    resolver,
    ready: feed.synced,
    forwarder: opts.forward === 'host' ? hostForwarder(opts.listen.map((l) => l.host)) : undefined,
  };
  const onError = (err: unknown) => log(`dns: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);

  const bound: [UdpListener, TcpListener][] = [];
  try {
    for (const l of opts.listen) bound.push(await bindPair(l.host, l.port, responder, onError));
  } catch (err) {
    await Promise.all(bound.flat().map((x) => x.close()));
    feed.detach();
    throw err;
  }
  let stopped = false;
  return {
    ports: opts.listen.map((l, i) => ({ host: l.host, port: bound[i]![0].port })),
    ready: ctx.informers.waitForCacheSync(),
    async stop() {
      if (stopped) return;
      stopped = true;
      feed.detach();
      await Promise.all(bound.flat().map((x) => x.close()));
    },
  };
}
