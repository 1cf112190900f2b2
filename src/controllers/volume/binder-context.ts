// What the PV controller's claim and volume syncs share: caches, writes, events, and the
// roots reclaim may touch.

import type { KObject } from '../../api/object.js';
import type { Client } from '../../client/types.js';
import type { EventRecorder } from '../../client/event-recorder-types.js';
import type { Lister } from '../../client/informer-types.js';
import type { BinderWrites } from './binder-writes.js';
import type { FreshCache } from './fresh-cache.js';
import type { ReclaimRoots } from './static-reclaim.js';
import { bindingMode, claimClassName } from './volume-objects.js';

/** The event source upstream's PV controller records under. */
export const PV_CONTROLLER_COMPONENT = 'persistentvolume-controller';

export interface BinderContext {
  client: Client;
  volumes: FreshCache;
  claims: FreshCache;
  classes: Lister;
  pods: Lister;
  writes: BinderWrites;
  recorder: EventRecorder;
  roots: ReclaimRoots;
  enqueueClaim(key: string): void;
}

export function storageClassFor(ctx: BinderContext, claim: KObject): KObject | undefined {
  const name = claimClassName(claim);
  return name ? ctx.classes.get(name) : undefined;
}

/** IsDelayBindingMode: a missing class or no class means Immediate. */
export function isDelayBinding(ctx: BinderContext, claim: KObject): boolean {
  const cls = storageClassFor(ctx, claim);
  return cls !== undefined && bindingMode(cls) === 'WaitForFirstConsumer';
}
