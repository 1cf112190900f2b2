// The orphan worker (upstream's attemptToOrphanWorker): an owner deleted with
// propagationPolicy Orphan keeps its `orphan` finalizer until every dependent in the graph has
// lost its reference to it; then the finalizer goes, and with it the owner.

import { ClusterOperations, isStatus } from './cluster-operations.js';
import type { DependencyGraph } from './dependency-graph.js';
import { ORPHAN_FINALIZER } from './object-identity.js';
import { deleteOwnerRefsMergePatch, deleteOwnerRefsStrategicPatch } from './owner-reference-patches.js';
import type { Outcome } from './attempt-to-delete.js';

export interface OrphanDeps {
  graph: DependencyGraph;
  ops: ClusterOperations;
}

export async function processAttemptToOrphan(deps: OrphanDeps, uid: string): Promise<Outcome> {
  const owner = deps.graph.node(uid);
  if (!owner) return 'forget';
  const ownerId = { ...owner.identity };
  const dependents = deps.graph.dependentsOf(owner).map((d) => ({ ...d.identity }));
  const results = await Promise.allSettled(
    dependents.map((dep) =>
      // The dependent's uid in the patch keeps it from landing on a successor of the same name;
      // a reference already gone is no error for a strategic merge delete.
      deps.ops.patch(dep, deleteOwnerRefsStrategicPatch(dep.uid, [ownerId.uid]), (cur) => deleteOwnerRefsMergePatch(cur, [ownerId.uid])),
    ),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !isStatus(r.reason, 404));
  if (failures.length > 0) {
    throw new Error(`failed to orphan dependents of owner ${ownerId.name}, got errors: ${failures.map((f) => (f.reason as Error).message).join(', ')}`);
  }
  await deps.ops.removeFinalizer(ownerId, ORPHAN_FINALIZER);
  return 'forget';
}
