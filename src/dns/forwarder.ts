// Opt-in forwarding (`--dns-forward host`) of names outside the cluster to the host's own
// resolvers from /etc/resolv.conf. Off by default; no test turns it on.

import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import type { Forwarder, Transport } from './responder.js';

const TIMEOUT_MS = 2000;

/** `nameserver` lines, minus our own listen addresses (forwarding to ourselves would loop). */
export function hostNameservers(resolvConf: string, exclude: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    const ip = m?.[1]?.replace(/%.*$/, '');
    if (ip && isIP(ip) && !exclude.includes(ip) && !out.includes(ip)) out.push(ip);
  }
  return out;
}

export function hostForwarder(exclude: readonly string[], resolvConfPath = '/etc/resolv.conf'): Forwarder {
  let servers: string[] = [];
  try {
    servers = hostNameservers(readFileSync(resolvConfPath, 'utf8'), exclude);
  } catch {
    servers = [];
  }
  return {
    async forward(query, transport) {
      for (const server of servers) {
        const answer = await (transport === 'udp' ? viaUdp(server, query) : viaTcp(server, query)).catch(() => undefined);
        if (answer) return answer;
      }
      return undefined;
    },
  };
}

/** A fresh random ID upstream, the client's ID restored on the way back. */
function withId(msg: Uint8Array, id: number): Uint8Array {
  const copy = Uint8Array.from(msg);
  copy[0] = id >> 8;
  copy[1] = id & 0xff;
  return copy;
}

function idOf(msg: Uint8Array): number {
  return (msg[0]! << 8) | msg[1]!;
}

function viaUdp(server: string, query: Uint8Array): Promise<Uint8Array | undefined> {
  const clientId = idOf(query);
  const upstreamId = randomInt(0, 0x10000);
  return new Promise((resolve) => {
    const sock = createSocket(isIP(server) === 6 ? 'udp6' : 'udp4');
    const done = (v: Uint8Array | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), TIMEOUT_MS);
    sock.on('error', () => done(undefined));
    sock.on('message', (msg, rinfo) => {
      if (rinfo.address !== server || rinfo.port !== 53 || msg.length < 12 || idOf(msg) !== upstreamId) return;
      done(withId(msg, clientId));
    });
    sock.send(withId(query, upstreamId), 53, server);
  });
}

function viaTcp(server: string, query: Uint8Array): Promise<Uint8Array | undefined> {
  const clientId = idOf(query);
  const upstreamId = randomInt(0, 0x10000);
  return new Promise((resolve) => {
    const sock = connect({ host: server, port: 53 });
    let buf = Buffer.alloc(0);
    const done = (v: Uint8Array | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), TIMEOUT_MS);
    sock.on('error', () => done(undefined));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, withId(query, upstreamId)]));
    });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) return;
      const msg = buf.subarray(2, 2 + len);
      done(msg.length >= 12 && idOf(msg) === upstreamId ? withId(msg, clientId) : undefined);
    });
  });
}
