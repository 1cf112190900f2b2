// The garbage collector: cascading deletion over ownerReferences, with Background, Foreground
// and Orphan propagation, as upstream's pkg/controller/garbagecollector.

import type { ControllerStarter } from '../context.js';
import { startGarbageCollectorWith } from './garbage-collector.js';

export { COMPONENT, startGarbageCollectorWith, type GarbageCollectorOptions, type RunningGarbageCollector } from './garbage-collector.js';
export { DependencyGraph, type GraphNode, type GraphSink } from './dependency-graph.js';
export { monitoredResources } from './monitored-resources.js';

export const startGarbageCollector: ControllerStarter = (ctx) => startGarbageCollectorWith(ctx);
