// Host-side links and named network namespaces: existence checks and tolerant removal.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { ip, tryIp } from './ip-command.js';
import { NETNS_DIR, netnsPath } from './names.js';

/** Whether a link exists in the host's network namespace (sysfs: no fork needed). */
export function linkExists(ifname: string): boolean {
  return existsSync(`/sys/class/net/${ifname}`);
}

export function netnsExists(name: string): boolean {
  return existsSync(netnsPath(name));
}

export async function listLinkNames(): Promise<string[]> {
  const out = await ip(['-j', 'link', 'show']);
  return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname);
}

export async function listNetnsNames(): Promise<string[]> {
  try {
    return await readdir(NETNS_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Deletes a link; resolves false when it did not exist. Synchronous in the kernel, unlike
 * netns removal, so deleting a host veth first frees its name at once.
 */
export async function deleteLink(ifname: string): Promise<boolean> {
  if (!linkExists(ifname)) return false;
  const r = await tryIp(['link', 'del', 'dev', ifname]);
  if (r.code !== 0 && linkExists(ifname)) throw new Error(`ip link del ${ifname}: ${r.stderr.trim()}`);
  return r.code === 0;
}

export async function deleteNetns(name: string): Promise<boolean> {
  if (!netnsExists(name)) return false;
  const r = await tryIp(['netns', 'del', name]);
  if (r.code !== 0 && netnsExists(name)) throw new Error(`ip netns del ${name}: ${r.stderr.trim()}`);
  return r.code === 0;
}

/** PIDs of processes whose network namespace is the named one. */
export async function netnsPids(name: string): Promise<number[]> {
  if (!netnsExists(name)) return [];
  const r = await tryIp(['netns', 'pids', name]);
  if (r.code !== 0) return [];
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 1);
}
