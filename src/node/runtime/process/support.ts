// Whether the process runtime can work on this host, decided before anything is created:
// `ordinal up` prints the reason in one line and falls back to the simulated runtime.

import { existsSync, readFileSync } from 'node:fs';
import { findHostTools } from './host-tools.js';

export type RuntimeSupport = { ok: true } | { ok: false; reason: string };

const NAMESPACES = ['net', 'uts', 'mnt', 'pid', 'ipc'];

export function processRuntimeSupport(): RuntimeSupport {
  if (process.platform !== 'linux') return { ok: false, reason: 'the process runtime needs Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the process runtime needs root (Linux namespaces, mounts, a bridge)' };
  const missingNs = NAMESPACES.filter((ns) => !existsSync(`/proc/self/ns/${ns}`));
  if (missingNs.length) return { ok: false, reason: `the kernel lacks namespaces: ${missingNs.join(', ')}` };
  let filesystems = '';
  try {
    filesystems = readFileSync('/proc/filesystems', 'utf8');
  } catch {
    /* treated as missing */
  }
  if (!/\soverlay\n/.test(filesystems)) return { ok: false, reason: 'the kernel has no overlay file system' };
  const tools = findHostTools();
  if ('missing' in tools) return { ok: false, reason: `missing host tools: ${tools.missing.join(', ')}` };
  return { ok: true };
}
