// Recursive removal that never crosses into another file system: a directory whose device
// differs from the tree's root is a mountpoint; it is lazily unmounted first, and left alone
// (and reported) if something is still mounted there. Plain `rm -rf` would descend into a
// volume or the host's root through a leftover bind mount.

import { execFile } from 'node:child_process';
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Removes `dir` and everything in it on the same file system; returns paths it had to leave. */
export async function removeTreeOneFs(dir: string): Promise<string[]> {
  let rootDev: number;
  try {
    rootDev = (await lstat(dir)).dev;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const left: string[] = [];
  await removeEntry(dir, rootDev, left);
  return left;
}

async function removeEntry(p: string, dev: number, left: string[]): Promise<boolean> {
  let st = await lstat(p).catch(() => undefined);
  if (!st) return true;
  if (st.dev !== dev) {
    await run('umount', ['--lazy', p]).catch(() => undefined);
    st = await lstat(p).catch(() => undefined);
    if (!st) return true;
    if (st.dev !== dev) {
      left.push(p);
      return false;
    }
  }
  if (!st.isDirectory()) {
    await unlink(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    return true;
  }
  let ok = true;
  for (const name of await readdir(p).catch(() => [] as string[])) {
    if (!(await removeEntry(path.join(p, name), dev, left))) ok = false;
  }
  if (ok) {
    await rmdir(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  return ok;
}
