// Reclaiming statically created volumes on this machine (upstream's in-tree recycler and
// deleter plugins, without their helper pods). Recycle empties the directory: an `nfs:`
// source at the one NFS rule's directory, a `hostPath:` source only below the configured
// reclaim root (upstream's hostPath deleter likewise refuses anything outside /tmp). Delete
// exists only for hostPath below that root; NFS has no deleter upstream either.

import * as path from 'node:path';
import { nfsRoot, validNfsServer } from '../../api/nfs-path.js';
import type { KObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { ConfinementError, emptyDirectory, removeDirectory, segmentsOf } from './confined-dirs.js';
import { specOf, str } from './volume-objects.js';

export interface ReclaimRoots {
  /** DATA_DIR: NFS sources live under DATA_DIR/nfs. */
  dataDir?: string;
  /** hostPath volumes are recycled or deleted only below this directory. */
  hostPathReclaimRoot?: string;
}

/** A directory as (trusted root, checked segments below it). */
export interface ConfinedDir {
  root: string;
  segments: string[];
}

/** The NFS rule as (root, segments): DATA_DIR/nfs + [server, ...path]. */
export function nfsConfinedDir(dataDir: string, server: string, p: string): ConfinedDir {
  if (!validNfsServer(server)) throw new ConfinementError(`invalid nfs server ${JSON.stringify(server)}`);
  return { root: nfsRoot(dataDir), segments: [server, ...segmentsOf(p, 'nfs path')] };
}

/** A hostPath below `root`, as segments; throws (upstream's wording) when it is not strictly below. */
export function hostPathConfinedDir(root: string | undefined, p: string, role: 'recycler' | 'deleter'): ConfinedDir {
  const refuse = () => new ConfinementError(`host_path ${role} only supports ${root ?? '<no reclaim root configured>'}/.+ but received provided ${p}`);
  if (!root || !path.isAbsolute(p)) throw refuse();
  segmentsOf(p, 'hostPath path');
  const rel = path.relative(path.resolve(root), path.resolve(p));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw refuse();
  return { root: path.resolve(root), segments: segmentsOf(rel, 'hostPath path') };
}

export type ReclaimResult = { done: true } | { done: false; error: string };

/** Empties the volume's directory, or says why it cannot ("No recycler plugin found…" upstream). */
export async function recycleStaticVolume(pv: KObject, roots: ReclaimRoots): Promise<ReclaimResult | 'no-plugin'> {
  const spec = specOf(pv);
  let dir: ConfinedDir;
  try {
    if (isPlainObject(spec.nfs) && roots.dataDir) dir = nfsConfinedDir(roots.dataDir, str(spec.nfs.server), str(spec.nfs.path));
    else if (isPlainObject(spec.hostPath)) dir = hostPathConfinedDir(roots.hostPathReclaimRoot, str(spec.hostPath.path), 'recycler');
    else return 'no-plugin';
    await emptyDirectory(dir.root, dir.segments);
    return { done: true };
  } catch (e) {
    return { done: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Deletes a static hostPath volume's directory below the reclaim root; other sources have no deleter. */
export async function deleteStaticVolume(pv: KObject, roots: ReclaimRoots): Promise<ReclaimResult> {
  const spec = specOf(pv);
  if (!isPlainObject(spec.hostPath)) return { done: false, error: 'no deletable volume plugin matched' };
  try {
    const dir = hostPathConfinedDir(roots.hostPathReclaimRoot, str(spec.hostPath.path), 'deleter');
    await removeDirectory(dir.root, dir.segments);
    return { done: true };
  } catch (e) {
    return { done: false, error: e instanceof Error ? e.message : String(e) };
  }
}
