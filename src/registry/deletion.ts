// What a DELETE does to an object: remove it now, or mark it (deletionTimestamp) and let a
// grace period or finalizers hold it, as upstream's BeforeDelete/updateForGracefulDeletion.

import type { KObject } from '../api/object.js';
import { clone } from '../api/object.js';
import { conflict, StatusError } from '../api/errors.js';
import type { ResourceInfo } from '../api/resources.js';
import type { Strategy } from './strategy.js';
import { timestamp } from './object-meta.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeletionPlan {
  action: 'delete' | 'mark' | 'none';
  object: KObject;
  error?: StatusError;
}

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

function effectivePolicy(opts: DeleteOptions): PropagationPolicy | undefined {
  if (opts.propagationPolicy) return opts.propagationPolicy;
  if (opts.orphanDependents === true) return 'Orphan';
  if (opts.orphanDependents === false) return 'Background';
  return undefined;
}

/** Records the propagation policy as the garbage collector's finalizers. */
function withPropagationFinalizers(finalizers: string[], policy: PropagationPolicy | undefined): string[] {
  if (!policy) return finalizers;
  const rest = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (policy === 'Orphan') return [...rest, ORPHAN];
  if (policy === 'Foreground') return [...rest, FOREGROUND];
  return rest;
}

function checkPreconditions(info: ResourceInfo, obj: KObject, opts: DeleteOptions): StatusError | undefined {
  const p = opts.preconditions;
  const name = obj.metadata.name ?? '';
  if (p?.uid && p.uid !== obj.metadata.uid) {
    return conflict(info.group, info.plural, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (p?.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
    return conflict(info.group, info.plural, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
  }
  return undefined;
}

export function planDeletion(info: ResourceInfo, strategy: Strategy, current: KObject, opts: DeleteOptions, now: Date): DeletionPlan {
  const error = checkPreconditions(info, current, opts);
  if (error) return { action: 'none', object: current, error };
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts = { ...opts, gracePeriodSeconds: 0 };
  const obj = clone(current);
  const meta = obj.metadata;
  const policy = effectivePolicy(opts);
  const isNamespace = info.plural === 'namespaces' && !info.group;
  const finalizers = withPropagationFinalizers(meta.finalizers ?? [], policy);
  const grace = isNamespace ? 0 : strategy.deletionGracePeriod ? strategy.deletionGracePeriod(obj, opts.gracePeriodSeconds) : 0;

  if (meta.deletionTimestamp) {
    // Already terminating: a shorter grace period may bring the end forward.
    const currentGrace = meta.deletionGracePeriodSeconds ?? 0;
    if (grace === 0 && finalizers.length === 0 && !isNamespace && currentGrace > 0) return { action: 'delete', object: obj };
    let changed = false;
    if (grace < currentGrace) {
      meta.deletionGracePeriodSeconds = grace;
      meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      changed = true;
    }
    if (finalizers.join('\0') !== (meta.finalizers ?? []).join('\0')) {
      meta.finalizers = finalizers;
      changed = true;
    }
    return { action: changed ? 'mark' : 'none', object: obj };
  }

  const namespaceHeld = isNamespace && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0;
  if (grace === 0 && finalizers.length === 0 && !namespaceHeld) return { action: 'delete', object: obj };

  meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
  meta.deletionGracePeriodSeconds = grace;
  if (finalizers.length) meta.finalizers = finalizers;
  else delete meta.finalizers;
  if (meta.generation !== undefined && meta.generation > 0) meta.generation += 1;
  if (isNamespace) obj.status = { ...(obj.status as object), phase: 'Terminating' };
  return { action: 'mark', object: obj };
}
