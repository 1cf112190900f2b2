// Which rules apply to which resource: the strategy table, and the one resource stored in
// another shape (events.k8s.io/v1 Events are core/v1 Events in storage).

import type { ResourceInfo } from '../../api/resources.js';
import type { KObject } from '../../api/object.js';
import { coreEventToEventsV1, toCoreEvent } from '../../api/event-conversion.js';
import type { Strategy } from '../strategy.js';
import type { Codec } from '../codec.js';
import { configMapStrategy } from './configmaps.js';
import { controllerRevisionStrategy } from './controllerrevisions.js';
import { endpointsStrategy } from './endpoints.js';
import { endpointSliceStrategy } from './endpointslices.js';
import { eventStrategy } from './events.js';
import { leaseStrategy } from './leases.js';
import { namespaceStrategy } from './namespaces.js';
import { nodeStrategy } from './nodes.js';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaims.js';
import { persistentVolumeStrategy } from './persistentvolumes.js';
import { podStrategy } from './pods.js';
import { secretStrategy } from './secrets.js';
import { serviceAccountStrategy } from './serviceaccounts.js';
import { serviceStrategy } from './services.js';
import { statefulSetStrategy } from './statefulsets.js';
import { storageClassStrategy } from './storageclasses.js';

const STRATEGIES: Record<string, Strategy> = {
  '/configmaps': configMapStrategy,
  '/endpoints': endpointsStrategy,
  '/events': eventStrategy,
  '/namespaces': namespaceStrategy,
  '/nodes': nodeStrategy,
  '/persistentvolumeclaims': persistentVolumeClaimStrategy,
  '/persistentvolumes': persistentVolumeStrategy,
  '/pods': podStrategy,
  '/secrets': secretStrategy,
  '/serviceaccounts': serviceAccountStrategy,
  '/services': serviceStrategy,
  'apps/controllerrevisions': controllerRevisionStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'coordination.k8s.io/leases': leaseStrategy,
  'discovery.k8s.io/endpointslices': endpointSliceStrategy,
  'events.k8s.io/events': eventStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
};

const NO_RULES: Strategy = {};

export function strategyFor(info: ResourceInfo): Strategy {
  return STRATEGIES[`${info.group}/${info.plural}`] ?? NO_RULES;
}

const eventsV1Codec: Codec = {
  toStorage: (obj: KObject) => toCoreEvent(obj) as KObject,
  fromStorage: (obj: KObject) => coreEventToEventsV1(obj) as KObject,
};

const coreEventCodec: Codec = {
  toStorage: (obj: KObject) => toCoreEvent(obj) as KObject,
  fromStorage: (obj: KObject) => obj,
};

export function codecFor(info: ResourceInfo): Codec | undefined {
  if (info.plural !== 'events') return undefined;
  return info.group === 'events.k8s.io' ? eventsV1Codec : coreEventCodec;
}
