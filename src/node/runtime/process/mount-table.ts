// The host's mount table (/proc/self/mountinfo) and lazy unmounting of everything below a
// directory. Sandbox mounts normally live only in the pod's private mount namespace and
// vanish with its shim; this is the safety net for anything that leaked to the host.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MountEntry {
  id: number;
  parentId: number;
  mountPoint: string;
  fsType: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const f = left.split(' ');
    out.push({ id: Number(f[0]), parentId: Number(f[1]), mountPoint: unescapeMountPath(f[4]), fsType: right.split(' ')[0] });
  }
  return out;
}

export function readMountTable(): MountEntry[] {
  return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
}

export function isUnder(p: string, dir: string): boolean {
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return p === d || p.startsWith(d + '/');
}

/** Mount points at or below `dir`, deepest (and most recently mounted) first. */
export function mountsUnder(table: MountEntry[], dir: string): MountEntry[] {
  return table
    .filter((m) => isUnder(m.mountPoint, dir))
    .sort((a, b) => b.mountPoint.split('/').length - a.mountPoint.split('/').length || b.id - a.id);
}

/** Lazily unmounts every mount at or below `dir`, in reverse order; returns what it unmounted. */
export async function unmountUnder(dir: string): Promise<string[]> {
  const done: string[] = [];
  for (let round = 0; round < 5; round++) {
    const mounts = mountsUnder(readMountTable(), dir);
    if (mounts.length === 0) break;
    for (const m of mounts) {
      try {
        await run('umount', ['--lazy', m.mountPoint]);
        done.push(m.mountPoint);
      } catch {
        /* already gone with its parent, or busy: the next round sees */
      }
    }
  }
  return done;
}
