// What every pod worker shares: the runtime, the cluster (through client/ only), events, the
// node's identity and settings, and the crash-loop backoff book.

import type { KObject } from '../../api/object.js';
import type { Client } from '../../client/types.js';
import type { EventRecorder } from '../../client/event-recorder-types.js';
import type { Runtime } from '../runtime/types.js';
import type { CrashLoopBackoff } from './crash-loop-backoff.js';
import type { ConfigSource } from './env/container-env.js';
import type { ClusterRanges } from './probes/probe-target.js';
import type { VolumeObjects } from './volumes/pod-volumes.js';

export interface WorkerDeps {
  runtime: Runtime;
  client: Client;
  recorder: EventRecorder;
  nodeName: string;
  nodeIP: string;
  dataDir: string;
  clusterDomain: string;
  ranges: ClusterRanges;
  backoff: CrashLoopBackoff;
  objects: VolumeObjects & ConfigSource;
  /** Service-link variables for a pod of `namespace`. */
  serviceVars(namespace: string, enableServiceLinks: boolean): Map<string, string>;
  nodeAllocatable: Record<string, string>;
  /** The command for an image that brings none (the process runtime's image table). */
  defaultCommandFor?: (image: string) => string[] | undefined;
  /** How often a pod waiting on volumes or config is retried. */
  retryMs: number;
  /** Scheme of containerIDs: `<runtime>://<id>`. */
  containerIdScheme: string;
  now(): Date;
  log(message: string): void;
  /** The worker is done: its pod is gone and its sandbox removed. */
  onGone(uid: string): void;
  /** The worker's latest view of its pod (from the informer cache). */
  currentPod(uid: string): KObject | undefined;
}
