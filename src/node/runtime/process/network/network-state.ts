// The instance's network state file in its data dir: which ranges it set up and which pods
// are attached where. A restart reads it to re-attach; `ordinal cleanup` reads it to find
// what to remove (names and route markers also derive from the data dir, so a lost file
// does not leave anything behind).

import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IpamState } from './ipam.js';

export interface AttachedPod {
  netnsName: string;
  hostVeth: string;
  ip: string;
}

export interface NetworkState {
  version: 1;
  instanceId: string;
  podCIDR: string;
  serviceCIDR: string;
  bridgeCIDR: string;
  ipam: IpamState;
  pods: Record<string, AttachedPod>;
}

export function stateDir(dataDir: string): string {
  return path.join(dataDir, 'network');
}

export function stateFilePath(dataDir: string): string {
  return path.join(stateDir(dataDir), 'state.json');
}

export async function loadState(dataDir: string): Promise<NetworkState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFilePath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const state = JSON.parse(text) as NetworkState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined; // torn or foreign file: treated as absent; names still find our leftovers
  }
}

/** Written to a temporary file and renamed, so a crash never leaves a half-written state. */
export async function saveState(dataDir: string, state: NetworkState): Promise<void> {
  await mkdir(stateDir(dataDir), { recursive: true, mode: 0o700 });
  const file = stateFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

/** Returns whether a state file existed. */
export async function removeState(dataDir: string): Promise<boolean> {
  const existed = await access(stateFilePath(dataDir)).then(
    () => true,
    () => false,
  );
  await rm(stateDir(dataDir), { recursive: true, force: true });
  return existed;
}
