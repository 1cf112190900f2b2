// A minimal kube-scheduler: binds pending pods of the default scheduler to Ready nodes,
// honouring nodeSelector, required node affinity, taints, cordoning and volume topology.

import type { ControllerStarter } from '../context.js';
import { startSchedulerWith } from './scheduler.js';

export { startSchedulerWith, type SchedulerOptions } from './scheduler.js';
export { DEFAULT_TIMINGS, type SchedulerTimings } from './backoff.js';
export { schedulePod, type ScheduleOutcome } from './schedule-pod.js';
export type { ClusterView } from './cluster-view.js';
export { ANN_SELECTED_NODE } from './pod-claims.js';
export { SCHEDULER_NAME } from './watch-filters.js';

export const startScheduler: ControllerStarter = (ctx) => startSchedulerWith(ctx);
