// The sandbox record (`sandbox.json` in the sandbox dir): what the shim needs to build the
// pod (hostname, paths to hide) and what a restarted ordinal needs to re-attach (pod
// identity, IP, netns, the shim's PID and start time).

import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Sandbox } from '../types.js';

export interface SandboxRecord {
  version: 1;
  podUid: string;
  namespace: string;
  name: string;
  hostname: string;
  ip: string;
  netnsName: string;
  netnsPath: string;
  createdAt: string;
  /** Host paths covered with an empty read-only tmpfs inside the pod (ordinal's data dir). */
  hide: string[];
  /** cgroup.procs files the shim itself joins (none: a pod's memory limit must not kill its shim). */
  cgroupProcs: string[];
  shim?: { hostPid: number; startTime: string };
}

export async function writeRecord(file: string, record: SandboxRecord): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

export async function readRecord(file: string): Promise<SandboxRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as SandboxRecord;
    return r.version === 1 && typeof r.podUid === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

export function sandboxOf(r: SandboxRecord): Sandbox {
  return { id: r.podUid, podUid: r.podUid, namespace: r.namespace, name: r.name, ip: r.ip, createdAt: new Date(r.createdAt) };
}
