// Where an `nfs:` volume source lives on this machine. ordinal mounts no NFS: a PV that names
// (server, path) maps to a directory under the data dir, so that the storage provisioners
// (which create those directories) and the node agent (which bind-mounts them) agree.

import * as path from 'node:path';

/**
 * `DATA_DIR/nfs/<server>/<path>`. Refuses a server or path that could leave that tree
 * (`..` segments, separators in the server name, empty server).
 */
export function nfsDirectory(dataDir: string, server: string, exportPath: string): string {
  if (!server || server === '.' || server === '..' || server.includes('/') || server.includes('\0')) {
    throw new Error(`nfs volume: invalid server ${JSON.stringify(server)}`);
  }
  if (exportPath.includes('\0')) throw new Error('nfs volume: path contains a NUL byte');
  const segments = exportPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Error(`nfs volume: path ${JSON.stringify(exportPath)} must not contain ".."`);
  return path.join(dataDir, 'nfs', server, ...segments);
}
