// A local-path provisioner (rancher/local-path-provisioner compatible): a hostPath PV under the
// root, in a directory `<pv>_<namespace>_<claim>`, pinned by node affinity to the node the
// scheduler selected, so its classes use WaitForFirstConsumer. Deleting removes the directory,
// and only when it lies below the root. Capacity is recorded, not enforced (upstream likewise).

import * as path from 'node:path';
import type { KObject } from '../../api/object.js';
import { makeDirectory, removeDirectory } from './confined-dirs.js';
import type { ProvisionerPlugin, ProvisionRequest } from './provisioner-plugin.js';
import { hostPathConfinedDir } from './static-reclaim.js';
import { accessModes, claimRequestString, specOf, str } from './volume-objects.js';
import { isPlainObject } from '../../api/object.js';

export const LOCAL_PATH_PROVISIONER = 'ordinal.dev/local-path';
export const RANCHER_LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export class LocalPathProvisioner implements ProvisionerPlugin {
  readonly names = [LOCAL_PATH_PROVISIONER, RANCHER_LOCAL_PATH_PROVISIONER];

  constructor(private readonly root: string) {}

  async provision(req: ProvisionRequest): Promise<KObject> {
    const cs = specOf(req.claim);
    if (cs.selector !== undefined && cs.selector !== null) throw new Error('claim.Spec.Selector is not supported');
    for (const m of accessModes(req.claim)) {
      if (m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod') throw new Error('NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
    }
    const node = req.selectedNode;
    if (!node) throw new Error('configuration error, no node was specified');
    const dirName = `${req.pvName}_${req.claim.metadata.namespace ?? ''}_${req.claim.metadata.name ?? ''}`;
    const dir = await makeDirectory(this.root, [dirName], 0o777);
    const hostname = node.metadata.labels?.[HOSTNAME_LABEL] ?? node.metadata.name ?? '';
    return {
      metadata: { name: req.pvName },
      spec: {
        persistentVolumeReclaimPolicy: str(req.storageClass.reclaimPolicy) || 'Delete',
        accessModes: cs.accessModes,
        volumeMode: 'Filesystem',
        capacity: { storage: claimRequestString(req.claim) ?? '0' },
        hostPath: { path: dir, type: 'DirectoryOrCreate' },
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] },
        },
      },
    };
  }

  async delete(pv: KObject): Promise<void> {
    const hp = specOf(pv).hostPath;
    if (!isPlainObject(hp)) throw new Error(`volume ${pv.metadata.name} has no hostPath source`);
    const dir = hostPathConfinedDir(path.resolve(this.root), str(hp.path), 'deleter');
    await removeDirectory(dir.root, dir.segments);
  }
}
