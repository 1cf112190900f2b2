// The status conditions the namespace controller keeps on a terminating namespace (upstream
// deletion/status_condition_utils.go): one of each of five types, True with the problem
// while there is one, else False with the "all is well" reason and message. A condition's
// lastTransitionTime moves only when its status flips.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What was left after a deletion pass: counts per resource (`pods.`, `statefulsets.apps`) and per finalizer. */
export interface ContentTotals {
  remainingByResource: Map<string, number>;
  remainingByFinalizer: Map<string, number>;
}

/** Go's sort.Strings: byte order. */
const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function failing(type: string, reason: string, message: string, now: string): NamespaceCondition {
  return { type, status: 'True', lastTransitionTime: now, reason, message };
}

/** The True conditions a deletion pass produced: remaining content, finalizers, and deletion errors. */
export function failingConditions(totals: ContentTotals, deleteErrors: readonly string[], now: string): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  const resources = [...totals.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
  if (totals.remainingByResource.size > 0) {
    out.push(failing('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${resources.sort(byBytes).join(', ')}`, now));
  }
  const finalizers = [...totals.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
  if (totals.remainingByFinalizer.size > 0) {
    out.push(
      failing('NamespaceFinalizersRemaining', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.sort(byBytes).join(', ')}`, now),
    );
  }
  if (deleteErrors.length > 0) {
    const msgs = [...deleteErrors].sort(byBytes).join(', ');
    out.push(failing('NamespaceDeletionContentFailure', 'ContentDeletionFailed', `Failed to delete all resource types, ${deleteErrors.length} remaining: ${msgs}`, now));
  }
  return out;
}

/**
 * The namespace's conditions after a pass: every managed type present, set to its failing
 * variant or its OK one; other condition types are kept as they are. `changed` says
 * whether a status write is needed.
 */
export function mergeConditions(
  existing: readonly NamespaceCondition[] | undefined,
  failures: readonly NamespaceCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (existing ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const wanted = failures.find((c) => c.type === type) ?? { type, status: 'False' as const, lastTransitionTime: now, ...OK[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ ...wanted });
      changed = true;
    } else if (old.status !== wanted.status || old.message !== wanted.message || old.reason !== wanted.reason) {
      if (old.status !== wanted.status) old.lastTransitionTime = now;
      old.status = wanted.status;
      old.reason = wanted.reason;
      old.message = wanted.message;
      changed = true;
    }
  }
  return { conditions, changed };
}
