// The `volume` component: the PV controller (binding, phases, reclaim), the built-in
// external provisioners (nfs-subdir and local-path; only with a data dir), the pvc- and
// pv-protection controllers and volume expansion, started and stopped together.

import type { ControllerContext, ControllerStarter, RunningController } from '../context.js';
import { startExpansionController } from './expansion-controller.js';
import { LocalPathProvisioner } from './local-path-provisioner.js';
import { NfsSubdirProvisioner } from './nfs-subdir-provisioner.js';
import { startPVCProtectionController, startPVProtectionController } from './protection-controllers.js';
import { startProvisionerController } from './provisioner-controller.js';
import { startPersistentVolumeController } from './pv-controller.js';
import { resolveVolumeOptions } from './volume-options.js';

export { startPersistentVolumeController } from './pv-controller.js';
export { startPVCProtectionController, startPVProtectionController } from './protection-controllers.js';
export { startExpansionController } from './expansion-controller.js';
export { startProvisionerController, provisionerComponent } from './provisioner-controller.js';
export { NfsSubdirProvisioner, NFS_SUBDIR_PROVISIONER, LEGACY_NFS_CLIENT_PROVISIONER } from './nfs-subdir-provisioner.js';
export { LocalPathProvisioner, LOCAL_PATH_PROVISIONER, RANCHER_LOCAL_PATH_PROVISIONER } from './local-path-provisioner.js';
export { DEFAULT_NFS_SERVER, DEFAULT_NFS_EXPORT_PATH, DEFAULT_RESYNC_MS } from './volume-options.js';
export { PV_CONTROLLER_COMPONENT } from './binder-context.js';
export { defaultStorageClassManifest } from './default-storage-class.js';

/** The built-in provisioners' controllers (none without a data dir). */
export function startBuiltinProvisioners(ctx: ControllerContext): RunningController[] {
  const opts = resolveVolumeOptions(ctx.options);
  if (!opts.dataDir) return [];
  const out = [startProvisionerController(ctx, new NfsSubdirProvisioner({ dataDir: opts.dataDir, server: opts.nfsServer, exportPath: opts.nfsExportPath }))];
  if (opts.localPathRoot) out.push(startProvisionerController(ctx, new LocalPathProvisioner(opts.localPathRoot)));
  return out;
}

export const startVolumeController: ControllerStarter = (ctx) => {
  const parts: RunningController[] = [
    startPersistentVolumeController(ctx),
    ...startBuiltinProvisioners(ctx),
    startPVCProtectionController(ctx),
    startPVProtectionController(ctx),
    startExpansionController(ctx),
  ];
  return {
    async stop() {
      for (const p of [...parts].reverse()) await p.stop();
    },
  };
};
