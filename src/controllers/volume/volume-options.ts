// The volume controllers' settings with their documented defaults. Without a data dir nothing
// is provisioned or reclaimed on disk (binding, phases and protection still work).

import * as path from 'node:path';
import type { ControllerOptions } from '../context.js';

/** Where the nfs-subdir provisioner "exports" from unless told otherwise. Never contacted. */
export const DEFAULT_NFS_SERVER = '127.0.0.1';
export const DEFAULT_NFS_EXPORT_PATH = '/exports';
/** Upstream's --pvclaimbinder-sync-period. */
export const DEFAULT_RESYNC_MS = 15_000;

export interface VolumeOptions {
  dataDir?: string;
  nfsServer: string;
  nfsExportPath: string;
  /** local-path volumes: LOCAL_ROOT/<pv>_<namespace>_<claim>; default DATA_DIR/local-path. */
  localPathRoot?: string;
  /** Static hostPath volumes are recycled or deleted only below this; default DATA_DIR/hostpath. */
  hostPathReclaimRoot?: string;
  resyncMs: number;
}

export function resolveVolumeOptions(o: ControllerOptions): VolumeOptions {
  const dataDir = o.dataDir ? path.resolve(o.dataDir) : undefined;
  return {
    dataDir,
    nfsServer: o.nfsSubdir?.server ?? DEFAULT_NFS_SERVER,
    nfsExportPath: o.nfsSubdir?.exportPath ?? DEFAULT_NFS_EXPORT_PATH,
    localPathRoot: o.localPathRoot ? path.resolve(o.localPathRoot) : dataDir ? path.join(dataDir, 'local-path') : undefined,
    hostPathReclaimRoot: o.hostPathReclaimRoot ? path.resolve(o.hostPathReclaimRoot) : dataDir ? path.join(dataDir, 'hostpath') : undefined,
    resyncMs: o.volumeResyncMs ?? DEFAULT_RESYNC_MS,
  };
}
