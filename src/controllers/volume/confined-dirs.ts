// Directory operations confined to a root: every volume directory the provisioners and the
// reclaimer create, empty, rename or remove is named as (root, segments), and nothing ever
// happens at the root itself or outside it. `..` segments are refused before any disk access,
// and every existing component below the root is checked with lstat, so a symlink that a pod
// planted inside a volume cannot redirect an operation elsewhere (fs.rm never follows links).

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { safePathSegments } from '../../api/nfs-path.js';

export class ConfinementError extends Error {}

function check(segments: readonly string[]): void {
  if (!segments.length) throw new ConfinementError('refusing to operate on the root directory itself');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\0')) {
      throw new ConfinementError(`invalid path segment ${JSON.stringify(s)}`);
    }
  }
}

/** Splits a slash path into checked segments (throws ConfinementError on `..`). */
export function segmentsOf(p: string, what = 'path'): string[] {
  try {
    return safePathSegments(p, what);
  } catch (e) {
    throw new ConfinementError(e instanceof Error ? e.message : String(e));
  }
}

async function lstatOrUndefined(p: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Walks root/segments[0]/…; every component that exists must be a real directory (the last
 * one may be anything when `lastAnyType`). Returns the full path, and whether it exists.
 */
async function walk(root: string, segments: readonly string[], lastAnyType = false): Promise<{ full: string; exists: boolean }> {
  check(segments);
  let cur = path.resolve(root);
  for (let i = 0; i < segments.length; i++) {
    cur = path.join(cur, segments[i]!);
    const st = await lstatOrUndefined(cur);
    if (!st) return { full: path.join(path.resolve(root), ...segments), exists: false };
    if (st.isSymbolicLink()) throw new ConfinementError(`${cur} is a symbolic link; refusing to follow it`);
    if (!st.isDirectory() && !(lastAnyType && i === segments.length - 1)) throw new ConfinementError(`${cur} is not a directory`);
  }
  return { full: cur, exists: true };
}

/** mkdir -p below root (root itself is created if missing), each new directory with `mode`. */
export async function makeDirectory(root: string, segments: readonly string[], mode = 0o777): Promise<string> {
  check(segments);
  await fs.mkdir(root, { recursive: true });
  let cur = path.resolve(root);
  for (const s of segments) {
    cur = path.join(cur, s);
    const st = await lstatOrUndefined(cur);
    if (st?.isSymbolicLink()) throw new ConfinementError(`${cur} is a symbolic link; refusing to follow it`);
    if (st && !st.isDirectory()) throw new ConfinementError(`${cur} exists and is not a directory`);
    if (!st) {
      await fs.mkdir(cur, { mode });
      // mkdir's mode is filtered by the umask; the provisioners promise exactly `mode`.
      await fs.chmod(cur, mode);
    }
  }
  return cur;
}

/** rm -rf of root/segments; false when it did not exist. */
export async function removeDirectory(root: string, segments: readonly string[]): Promise<boolean> {
  const { full, exists } = await walk(root, segments);
  if (!exists) return false;
  await fs.rm(full, { recursive: true, force: true });
  return true;
}

/** Removes everything inside root/segments, keeping the directory (the recycler's `rm -rf dir/*`). */
export async function emptyDirectory(root: string, segments: readonly string[]): Promise<boolean> {
  const { full, exists } = await walk(root, segments);
  if (!exists) return false;
  for (const entry of await fs.readdir(full)) await fs.rm(path.join(full, entry), { recursive: true, force: true });
  return true;
}

/** Renames root/from to root/to (both confined); false when the source did not exist. */
export async function renameDirectory(root: string, from: readonly string[], to: readonly string[]): Promise<boolean> {
  const src = await walk(root, from);
  if (!src.exists) return false;
  check(to);
  const parent = to.slice(0, -1);
  const destParent = parent.length ? await makeDirectory(root, parent) : path.resolve(root);
  const dest = path.join(destParent, to[to.length - 1]!);
  if (await lstatOrUndefined(dest)) throw new ConfinementError(`${dest} already exists`);
  await fs.rename(src.full, dest);
  return true;
}

/** Whether root/segments exists as a real directory reached without symlinks. */
export async function directoryExists(root: string, segments: readonly string[]): Promise<boolean> {
  return (await walk(root, segments)).exists;
}
