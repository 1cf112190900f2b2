// What the scheduling algorithm reads of the cluster: a read-only view over the informer
// caches, so that the algorithm itself is a pure function of pod and view.

import type { KObject } from '../../api/object.js';

export interface ClusterView {
  nodes(): readonly KObject[];
  claim(namespace: string, name: string): KObject | undefined;
  volume(name: string): KObject | undefined;
  volumes(): readonly KObject[];
  storageClass(name: string): KObject | undefined;
  /** Pods already assigned to the node (for spreading among feasible nodes). */
  podCount(nodeName: string): number;
}
