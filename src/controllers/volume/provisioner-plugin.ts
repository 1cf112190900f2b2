// The seam between the external-provisioner loop (provisioner-controller.ts, the semantics of
// sig-storage-lib-external-provisioner) and a storage backend (nfs-subdir, local-path): the
// backend turns a claim into a PV source on disk, and removes (or archives) it again.

import type { KObject } from '../../api/object.js';
import type { Lister } from '../../client/informer-types.js';

export interface ProvisionRequest {
  /** `pvc-<claim uid>`. */
  pvName: string;
  claim: KObject;
  storageClass: KObject;
  /** The node the scheduler chose (WaitForFirstConsumer classes). */
  selectedNode?: KObject;
}

export interface ProvisionerPlugin {
  /** Every provisioner name this backend answers to (a class's `provisioner`). */
  readonly names: readonly string[];
  /**
   * Creates the backing directory and returns the PV (name, spec; no claimRef, no
   * provisioned-by: the loop adds those). Throws with the message the event should carry.
   */
  provision(req: ProvisionRequest): Promise<KObject>;
  /** Removes, archives or keeps the backing directory of a released PV. */
  delete(pv: KObject, classes: Lister): Promise<void>;
}
