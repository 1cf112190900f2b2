// Carrying out a volume plan before the pod is bound (VolumeBinding's PreBind writes): PVs
// chosen for claims get their claimRef (the PV controller completes the bind), claims to
// provision get the selected-node annotation (the provisioner acts on it). Writes already
// made are not repeated, so a pod waiting for its claims can be re-examined freely.

import type { KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import type { Client } from '../../client/types.js';
import { ANN_SELECTED_NODE } from './pod-claims.js';
import { volumeBoundToClaim } from './static-volume-match.js';
import type { VolumePlan } from './volume-fit.js';

const PVS = mustFindResource('', 'persistentvolumes');
const PVCS = mustFindResource('', 'persistentvolumeclaims');

export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';

function claimRefPatch(pv: KObject, claim: KObject): Record<string, unknown> {
  return {
    metadata: { resourceVersion: pv.metadata.resourceVersion, annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' } },
    spec: {
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
    },
  };
}

/** Resolves once every write the plan still needs has been made. */
export async function writeVolumePlan(client: Client, plan: VolumePlan, nodeName: string): Promise<void> {
  for (const { claim, pv } of plan.staticBindings) {
    if (volumeBoundToClaim(pv, claim)) continue;
    await client.patch(PVS, undefined, pv.metadata.name ?? '', 'merge', claimRefPatch(pv, claim));
  }
  for (const claim of plan.provisions) {
    if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
    await client.patch(PVCS, claim.metadata.namespace, claim.metadata.name ?? '', 'merge', {
      metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } },
    });
  }
}

/** Whether the plan still has anything to wait for: any claim not yet bound. */
export function planPending(plan: VolumePlan): boolean {
  return plan.staticBindings.length > 0 || plan.provisions.length > 0;
}
