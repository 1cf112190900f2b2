// The delete worker's judgement of one node (upstream's attemptToDeleteItem): read the object
// afresh, classify each owner as solid (exists), dangling (absent, or another uid under the
// name) or waiting (deleting in the foreground), then delete the object, trim its references,
// or, when it is itself deleting in the foreground, release it once nothing blocks it.

import type { KObject, OwnerReference } from '../../api/object.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { ClusterOperations, isStatus, resourceFor } from './cluster-operations.js';
import type { DependencyGraph, GraphNode } from './dependency-graph.js';
import {
  beingDeleted,
  FOREGROUND_FINALIZER,
  hasFinalizer,
  identityFromReference,
  ORPHAN_FINALIZER,
  type ObjectIdentity,
} from './object-identity.js';
import { deleteOwnerRefsMergePatch, deleteOwnerRefsStrategicPatch, unblockOwnerRefsMergePatch, unblockOwnerRefsStrategicPatch } from './owner-reference-patches.js';

/** What the worker does with the queue item afterwards. */
export type Outcome = 'forget' | 'requeue';

/** A cluster-scoped object naming a namespaced owner: retrying cannot fix it. */
export class NamespacedOwnerOfClusterScopedObjectError extends Error {}

export interface DeleteDeps {
  graph: DependencyGraph;
  ops: ClusterOperations;
  absent: AbsentOwnerCache;
  /** Queue another node for judgement (the foreground cascade reaching down). */
  enqueue(uid: string): void;
}

interface Classified {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waiting: OwnerReference[];
}

/** Sentinel: the object is gone, and the graph has been told so. */
const VIRTUAL_DELETE = Symbol('virtual delete');

/** Judges the node with this uid and says what the queue should do with it. */
export async function processAttemptToDelete(deps: DeleteDeps, uid: string): Promise<Outcome> {
  const n = deps.graph.node(uid);
  if (!n) return 'forget';
  let result: void | typeof VIRTUAL_DELETE;
  try {
    result = await attemptToDeleteItem(deps, n);
  } catch (err) {
    if (err instanceof NamespacedOwnerOfClusterScopedObjectError) return 'forget';
    throw err;
  }
  if (result === VIRTUAL_DELETE) return 'forget';
  // Seen to exist by a GET but not yet by an informer: look again until the informer catches up,
  // or a node for an object created and deleted during a watch gap would stay forever.
  if (deps.graph.node(uid)?.virtual) return 'requeue';
  return 'forget';
}

async function attemptToDeleteItem(deps: DeleteDeps, n: GraphNode): Promise<void | typeof VIRTUAL_DELETE> {
  // Being deleted without waiting on dependents: wait for the final deletion.
  if (n.beingDeleted && !n.deletingDependents) return;
  const id: ObjectIdentity = { ...n.identity };
  let latest: KObject;
  try {
    latest = await deps.ops.get(id);
  } catch (err) {
    if (isStatus(err, 404)) return virtualDelete(deps, id);
    throw err;
  }
  if (latest.metadata.uid !== id.uid) return virtualDelete(deps, id);

  if (n.deletingDependents) return processDeletingDependents(deps, n);

  const refs = latest.metadata.ownerReferences ?? [];
  if (refs.length === 0) return;
  const { solid, dangling, waiting } = await classifyReferences(deps, id, refs);

  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return;
    // References to owners that wait on their dependents must go too, or those owners would
    // keep their foregroundDeletion finalizer for as long as this object lives.
    const uids = [...dangling, ...waiting].map((r) => r.uid);
    await deps.ops.patch(id, deleteOwnerRefsStrategicPatch(id.uid, uids), (cur) => deleteOwnerRefsMergePatch(cur, uids));
    return;
  }

  if (waiting.length > 0 && deps.graph.dependentsOf(n).length > 0) {
    // A dependent that also deletes in the foreground could close a cycle of blocked owners:
    // stop this object blocking its owners before joining the cascade.
    let judged = latest;
    if (deps.graph.dependentsOf(n).some((dep) => dep.deletingDependents)) {
      // The delete below is guarded by the version it judged; our own unblocking write moves
      // that version, and must not make the delete fail and the owner stop waiting for us.
      judged = await deps.ops.patch(id, unblockOwnerRefsStrategicPatch(id.uid, n.owners), unblockOwnerRefsMergePatch);
    }
    return deleteOrVanish(deps, id, judged, 'Foreground');
  }

  // No solid owner left: collect it, honouring a propagation it already asked for.
  const policy = hasFinalizer(latest, ORPHAN_FINALIZER) ? 'Orphan' : hasFinalizer(latest, FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  return deleteOrVanish(deps, id, latest, policy);
}

async function deleteOrVanish(deps: DeleteDeps, id: ObjectIdentity, latest: KObject, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void | typeof VIRTUAL_DELETE> {
  try {
    await deps.ops.delete(id, latest.metadata.resourceVersion ?? '', latest.metadata.ownerReferences, policy);
  } catch (err) {
    if (isStatus(err, 404)) return virtualDelete(deps, id);
    throw err;
  }
}

function virtualDelete(deps: DeleteDeps, id: ObjectIdentity): typeof VIRTUAL_DELETE {
  deps.graph.virtualDelete(id);
  return VIRTUAL_DELETE;
}

/** An owner in the foreground: release it when no dependent blocks it, else push them along. */
async function processDeletingDependents(deps: DeleteDeps, n: GraphNode): Promise<void> {
  const blocking = deps.graph.blockingDependents(n);
  if (blocking.length === 0) {
    await deps.ops.removeFinalizer(n.identity, FOREGROUND_FINALIZER);
    return;
  }
  for (const dep of blocking) if (!dep.deletingDependents) deps.enqueue(dep.identity.uid);
}

async function classifyReferences(deps: DeleteDeps, item: ObjectIdentity, refs: OwnerReference[]): Promise<Classified> {
  const out: Classified = { solid: [], dangling: [], waiting: [] };
  for (const ref of refs) {
    const owner = await ownerIfPresent(deps, ref, item);
    if (!owner) out.dangling.push(ref);
    else if (beingDeleted(owner) && hasFinalizer(owner, FOREGROUND_FINALIZER)) out.waiting.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

/**
 * The owner a reference names, read from the API server; undefined when it is absent
 * (not found, or another uid under its name). Absences are remembered.
 */
async function ownerIfPresent(deps: DeleteDeps, ref: OwnerReference, item: ObjectIdentity): Promise<KObject | undefined> {
  const key = identityFromReference(ref, '');
  if (deps.absent.has(key)) return undefined;
  key.namespace = item.namespace;
  if (deps.absent.has(key)) return undefined;
  const res = resourceFor(ref.apiVersion, ref.kind);
  if (!res.namespaced) key.namespace = '';
  if (item.namespace === '' && res.namespaced) {
    throw new NamespacedOwnerOfClusterScopedObjectError(`cluster-scoped ${item.kind} ${item.name} refers to namespaced owner ${ref.kind} ${ref.name}`);
  }
  let owner: KObject;
  try {
    owner = await deps.ops.getOwner(res, ref, item.namespace);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
    deps.absent.add(key);
    return undefined;
  }
  if (owner.metadata.uid !== ref.uid) {
    deps.absent.add(key);
    return undefined;
  }
  return owner;
}
