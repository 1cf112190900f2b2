// nfs-subdir-external-provisioner, on this machine: each volume is a directory under the
// export (`${namespace}-${pvcName}-${pvName}`, or the class's `pathPattern`), created 0777,
// and the PV carries an `nfs:` source {server, exportPath + "/" + dir}, so the one NFS rule
// (DATA_DIR/nfs/<server>/<path>) finds it for the node agent. On delete the class decides:
// `onDelete: delete|retain`, else `archiveOnDelete: "false"` removes, else the directory is
// renamed to `archived-<basename>` at the top of the export, as upstream does.

import { nfsRoot } from '../../api/nfs-path.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { Lister } from '../../client/informer-types.js';
import { directoryExists, makeDirectory, removeDirectory, renameDirectory, segmentsOf } from './confined-dirs.js';
import { subdirSegments } from './path-pattern.js';
import type { ProvisionerPlugin, ProvisionRequest } from './provisioner-plugin.js';
import { nfsConfinedDir } from './static-reclaim.js';
import { claimRequestString, specOf, str, volumeClassName } from './volume-objects.js';

export const NFS_SUBDIR_PROVISIONER = 'k8s-sigs.io/nfs-subdir-external-provisioner';
export const LEGACY_NFS_CLIENT_PROVISIONER = 'fuseim.pri/ifs';

export interface NfsSubdirOptions {
  dataDir: string;
  server: string;
  exportPath: string;
}

function parameters(cls: KObject): Record<string, string> {
  return isPlainObject(cls.parameters) ? (cls.parameters as Record<string, string>) : {};
}

/** strconv.ParseBool. */
function parseBool(v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export class NfsSubdirProvisioner implements ProvisionerPlugin {
  readonly names = [NFS_SUBDIR_PROVISIONER, LEGACY_NFS_CLIENT_PROVISIONER];
  /** The export as (DATA_DIR/nfs, [server, ...exportPath]): everything happens below it. */
  private readonly exportRoot: string;
  private readonly exportSegments: string[];

  constructor(private readonly opts: NfsSubdirOptions) {
    const dir = nfsConfinedDir(opts.dataDir, opts.server, opts.exportPath);
    this.exportRoot = dir.root;
    this.exportSegments = dir.segments;
  }

  /** The export path as the PV shows it, without a trailing slash. */
  private exportPathPrefix(): string {
    const segs = segmentsOf(this.opts.exportPath);
    return segs.length ? `/${segs.join('/')}` : '';
  }

  async provision(req: ProvisionRequest): Promise<KObject> {
    const cs = specOf(req.claim);
    if (cs.selector !== undefined && cs.selector !== null) throw new Error('claim Selector is not supported');
    const dir = subdirSegments(req.claim, req.pvName, parameters(req.storageClass).pathPattern);
    try {
      await makeDirectory(this.exportRoot, [...this.exportSegments, ...dir], 0o777);
    } catch (e) {
      throw new Error(`unable to create directory to provision new pv: ${e instanceof Error ? e.message : String(e)}`);
    }
    const mountOptions = req.storageClass.mountOptions;
    return {
      metadata: { name: req.pvName },
      spec: {
        persistentVolumeReclaimPolicy: str(req.storageClass.reclaimPolicy) || 'Delete',
        accessModes: cs.accessModes,
        ...(Array.isArray(mountOptions) ? { mountOptions } : {}),
        capacity: { storage: claimRequestString(req.claim) ?? '0' },
        nfs: { server: this.opts.server, path: `${this.exportPathPrefix()}/${dir.join('/')}` },
      },
    };
  }

  /** The directory of a PV as segments below the export; refuses a PV pointing elsewhere. */
  private volumeSegments(pv: KObject): string[] {
    const nfs = specOf(pv).nfs;
    if (!isPlainObject(nfs) || str(nfs.server) !== this.opts.server) throw new Error(`volume ${pv.metadata.name} is not on export ${this.opts.server}:${this.opts.exportPath}`);
    const all = segmentsOf(str(nfs.path), 'nfs path');
    const prefix = segmentsOf(this.opts.exportPath);
    if (all.length <= prefix.length || prefix.some((s, i) => all[i] !== s)) throw new Error(`volume path ${str(nfs.path)} is not below the export ${this.opts.exportPath}`);
    return all.slice(prefix.length);
  }

  async delete(pv: KObject, classes: Lister): Promise<void> {
    const rel = this.volumeSegments(pv);
    const full = [...this.exportSegments, ...rel];
    if (!(await directoryExists(this.exportRoot, full))) return;
    const className = volumeClassName(pv);
    if (!className) throw new Error('Volume has no storage class');
    const cls = classes.get(className);
    if (!cls) throw new Error(`storageclasses.storage.k8s.io "${className}" not found`);
    const params = parameters(cls);
    if (params.onDelete === 'delete') {
      await removeDirectory(this.exportRoot, full);
      return;
    }
    if (params.onDelete === 'retain') return;
    if (params.archiveOnDelete !== undefined && !parseBool(params.archiveOnDelete)) {
      await removeDirectory(this.exportRoot, full);
      return;
    }
    await renameDirectory(this.exportRoot, full, [...this.exportSegments, `archived-${rel[rel.length - 1]}`]);
  }
}

/** Where the export lives on this machine (for tests and the README). */
export function nfsExportDirectory(opts: NfsSubdirOptions): string {
  const d = nfsConfinedDir(opts.dataDir, opts.server, opts.exportPath);
  return [nfsRoot(opts.dataDir), ...d.segments].join('/');
}
