// The bodies of the collector's writes. Strategic merge patches are tried first: they carry the
// dependent's uid, so the patch cannot land on a newer object that reuses the name. JSON merge
// patches (for resources that refuse strategic merge) carry the resourceVersion instead.

import type { KObject, OwnerReference } from '../../api/object.js';

/** Removes the references to `ownerUids` from the dependent `dependentUid`. */
export function deleteOwnerRefsStrategicPatch(dependentUid: string, ownerUids: readonly string[]): unknown {
  return {
    metadata: {
      ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })),
      uid: dependentUid,
    },
  };
}

export function deleteOwnerRefsMergePatch(current: KObject, ownerUids: readonly string[]): unknown {
  const kept = (current.metadata.ownerReferences ?? []).filter((r) => !ownerUids.includes(r.uid));
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', ownerReferences: kept.length ? kept : null } };
}

/** Sets blockOwnerDeletion false on every blocking reference of the dependent. */
export function unblockOwnerRefsStrategicPatch(dependentUid: string, owners: readonly OwnerReference[]): unknown {
  const refs = owners.filter((r) => r.blockOwnerDeletion === true).map((r) => ({ ...r, blockOwnerDeletion: false }));
  return { metadata: { ownerReferences: refs, uid: dependentUid } };
}

export function unblockOwnerRefsMergePatch(current: KObject): unknown {
  const refs = (current.metadata.ownerReferences ?? []).map((r) => ({ ...r, blockOwnerDeletion: false }));
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', ownerReferences: refs } };
}

/** The finalizer list without `finalizer`, guarded by the resourceVersion it was read at. */
export function removeFinalizerPatch(current: KObject, finalizer: string): unknown | undefined {
  const finalizers = current.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const rest = finalizers.filter((f) => f !== finalizer);
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', finalizers: rest.length ? rest : null } };
}
