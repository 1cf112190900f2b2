// What the controller manager hands every controller: the cluster (through client/ only),
// shared informers, event recording, a clock, and switches.

import type { Client } from '../client/types.js';
import type { InformerFactory } from '../client/informer-types.js';
import type { EventRecorderFactory } from '../client/event-recorder-types.js';

export interface ControllerOptions {
  /** Upstream's MaxUnavailableStatefulSet gate; off by default, as in 1.33. */
  maxUnavailableStatefulSet?: boolean;
  /** Worker count per controller (upstream's --concurrent-statefulset-syncs, default 5). */
  workers?: number;
  /** Storage: the data dir; NFS sources live at DATA_DIR/nfs/<server>/<path>. Unset: nothing on disk. */
  dataDir?: string;
  /** The nfs-subdir provisioner's export (default server 127.0.0.1, path /exports; never contacted). */
  nfsSubdir?: { server?: string; exportPath?: string };
  /** The local-path provisioner's root (default DATA_DIR/local-path). */
  localPathRoot?: string;
  /** Static hostPath PVs are recycled/deleted only below this root (default DATA_DIR/hostpath). */
  hostPathReclaimRoot?: string;
  /** The PV controller's resync period in ms (upstream --pvclaimbinder-sync-period, 15 s). */
  volumeResyncMs?: number;
}

export interface ControllerContext {
  client: Client;
  informers: InformerFactory;
  events: EventRecorderFactory;
  now(): Date;
  options: ControllerOptions;
}

export interface RunningController {
  stop(): Promise<void>;
}

/** Registers its informers synchronously, then runs once the caches have synced. */
export type ControllerStarter = (ctx: ControllerContext) => RunningController;
