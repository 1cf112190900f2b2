// The one rule that maps an NFS volume source to a directory on this machine. ordinal never
// mounts or contacts a network share: a PV naming (server, path) lives at
// `DATA_DIR/nfs/<server>/<path>`. The storage provisioners (which create and reclaim those
// directories) and the node agent (which bind-mounts them) both call this, so they agree.
// Pure: no filesystem access; symlink checks belong to whoever touches the disk.

import * as path from 'node:path';

/** The directory under the data dir that holds every NFS "server". */
export function nfsRoot(dataDir: string): string {
  return path.join(dataDir, 'nfs');
}

/**
 * The segments of a relative or absolute slash path, without empty and `.` segments.
 * Throws on `..` (anywhere) and NUL bytes: such a path could leave the tree it is joined to.
 */
export function safePathSegments(p: string, what = 'path'): string[] {
  if (p.includes('\0')) throw new Error(`${what} ${JSON.stringify(p)} contains a NUL byte`);
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Error(`${what} ${JSON.stringify(p)} must not contain ".."`);
  return segments;
}

/** Whether `server` can be one directory name: not empty, no separator, not `.`/`..`. */
export function validNfsServer(server: string): boolean {
  return server !== '' && server !== '.' && server !== '..' && !server.includes('/') && !server.includes('\\') && !server.includes('\0');
}

/**
 * `DATA_DIR/nfs/<server>/<path>`. Throws for a server or path that could leave that tree
 * (`..` segments, separators in the server name, an empty server, NUL bytes).
 */
export function nfsDirectory(dataDir: string, server: string, exportPath: string): string {
  if (!validNfsServer(server)) throw new Error(`nfs volume: invalid server ${JSON.stringify(server)}`);
  const segments = safePathSegments(exportPath, 'nfs volume: path');
  return path.join(nfsRoot(dataDir), server, ...segments);
}

/** Whether `child` is `root` itself or lies under it (both absolute, compared lexically). */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
