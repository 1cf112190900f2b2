// What the host's routing table says about an address: for tests and diagnostics.

import { runTool } from './ip-command.js';
import { parseIPv4 } from './ipv4.js';

/**
 * The output of `ip route get <ip>`. For an address covered by an unreachable route the
 * kernel refuses the lookup ("No route to host"); that answer is returned prefixed with
 * "unreachable", so callers can test one string either way.
 */
export async function routeGet(address: string): Promise<string> {
  parseIPv4(address);
  const r = await runTool('ip', ['route', 'get', address]);
  if (r.code === 0) return r.stdout.trim();
  const err = r.stderr.trim();
  if (/No route to host/i.test(err)) return `unreachable ${address}: ${err}`;
  if (/Invalid argument/i.test(err)) return `blackhole ${address}: ${err}`;
  return err;
}

/** True when the route lookup answer means the packet would go nowhere. */
export function isUnroutable(routeGetOutput: string): boolean {
  return /^(unreachable|blackhole|prohibit)\b/.test(routeGetOutput);
}
