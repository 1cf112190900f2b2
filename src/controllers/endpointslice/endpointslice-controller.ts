// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service
// with a selector, its EndpointSlices list the selected pods — ready or not, terminating or
// not — with their ports resolved per pod. Level-triggered: every change to a Service, one of
// its pods, one of its slices or a node queues the Service, and a sync recomputes everything.

import { StatusError } from '../../api/errors.js';
import { clone, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, ControllerStarter, RunningController } from '../context.js';
import { podNodeName } from './pod-facts.js';
import { isManagedService, selectsPod, TRIGGER_TIME_ANNOTATION } from './service-facts.js';
import { keyOf, namespaceTerminating, queueServicesOnChanges, runServiceQueue, unwrap } from './service-queue.js';
import { ZONE_LABEL } from './slice-endpoint.js';
import { isManagedSlice, serviceKeyOfSlice, withNullEmptyLists } from './slice-object.js';
import { MAX_ENDPOINTS_PER_SLICE, planSlices } from './slice-plan.js';
import { SliceTracker } from './slice-tracker.js';
import { applyTriggerTime, TriggerTimeTracker } from './trigger-time.js';

export const ENDPOINTSLICE_COMPONENT = 'endpointslice-controller';

const SERVICES = mustFindResource('', 'services');
const PODS = mustFindResource('', 'pods');
const NODES = mustFindResource('', 'nodes');
const SLICES = mustFindResource('discovery.k8s.io', 'endpointslices');

/** Upstream endpointSliceChangeMinSyncDelay: slice events wait a little so bursts coalesce. */
export const SLICE_CHANGE_SYNC_DELAY_MS = 1000;

export interface EndpointSliceControllerOptions {
  maxEndpointsPerSlice?: number;
  /** Delay before a sync caused by an EndpointSlice event (default 1 s, as upstream). */
  sliceChangeDelayMs?: number;
}

export function startEndpointSliceControllerWith(ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}): RunningController {
  const services = ctx.informers.forResource(SERVICES);
  const pods = ctx.informers.forResource(PODS);
  const nodes = ctx.informers.forResource(NODES);
  const slices = ctx.informers.forResource(SLICES);
  const queue = new WorkQueue<string>();
  const tracker = new SliceTracker(serviceKeyOfSlice);
  const triggerTimes = new TriggerTimeTracker();
  const recorder = ctx.events.recorderFor(ENDPOINTSLICE_COMPONENT);
  const sliceDelay = opts.sliceChangeDelayMs ?? SLICE_CHANGE_SYNC_DELAY_MS;

  const queueSliceService = (slice: KObject) => {
    const key = serviceKeyOfSlice(slice);
    if (key) queue.addAfter(key, sliceDelay);
  };

  const queueServicesOf = queueServicesOnChanges(services, pods, queue);
  slices.addEventHandler({
    onAdd: (s) => {
      if (isManagedSlice(s) && tracker.shouldSync(s)) queueSliceService(s);
    },
    onUpdate: (old, cur) => {
      const moved = serviceKeyOfSlice(old) !== serviceKeyOfSlice(cur);
      if (moved || isManagedSlice(old) !== isManagedSlice(cur)) {
        queueSliceService(old);
        queueSliceService(cur);
      } else if (isManagedSlice(cur) && tracker.shouldSync(cur)) queueSliceService(cur);
    },
    onDelete: (o) => {
      const s = unwrap(o);
      // Unlike upstream, a managed slice deleted by someone else is restored even when this
      // controller has not written it since it started.
      if (isManagedSlice(s) && !tracker.handleDeletion(s)) queueSliceService(s);
    },
  });
  // Zones come from nodes: a node appearing or changing its zone re-syncs its pods' Services.
  const queueNodePods = (node: KObject) => {
    for (const pod of pods.lister.list()) if (podNodeName(pod) === node.metadata.name) queueServicesOf(pod);
  };
  nodes.addEventHandler({
    onAdd: queueNodePods,
    onUpdate: (old, cur) => {
      if (old.metadata.labels?.[ZONE_LABEL] !== cur.metadata.labels?.[ZONE_LABEL]) queueNodePods(cur);
    },
  });

  const write = async (svc: KObject, plan: ReturnType<typeof planSlices>, triggerTime: number | undefined) => {
    const ns = svc.metadata.namespace;
    // Creating while the Service is being deleted would race the garbage collector.
    if (!svc.metadata.deletionTimestamp) {
      for (const slice of plan.create) {
        applyTriggerTime(slice, TRIGGER_TIME_ANNOTATION, triggerTime);
        try {
          tracker.update(await ctx.client.create(SLICES, ns, withNullEmptyLists(slice)));
        } catch (e) {
          if (namespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Service ${keyOf(svc)}: ${(e as Error).message}`);
        }
      }
    }
    for (const slice of plan.update) {
      applyTriggerTime(slice, TRIGGER_TIME_ANNOTATION, triggerTime);
      try {
        tracker.update(await ctx.client.update(SLICES, ns, withNullEmptyLists(slice)));
      } catch (e) {
        throw new Error(`failed to update ${slice.metadata.name} EndpointSlice for Service ${keyOf(svc)}: ${(e as Error).message}`);
      }
    }
    for (const slice of plan.delete) {
      try {
        await ctx.client.delete(SLICES, ns, slice.metadata.name ?? '');
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) {
          throw new Error(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${keyOf(svc)}: ${(e as Error).message}`);
        }
      }
      tracker.expectDeletion(slice);
    }
  };

  const sync = async (key: string) => {
    const svc = services.lister.get(key);
    if (!svc) {
      // The garbage collector removes the slices through their ownerReference.
      triggerTimes.deleteService(key);
      tracker.deleteService(key);
      return;
    }
    if (!isManagedService(svc)) return;
    const selected = pods.lister.listNamespace(svc.metadata.namespace ?? '').filter((p) => selectsPod(svc, p));
    const existing = slices.lister
      .listNamespace(svc.metadata.namespace ?? '')
      .filter((s) => isManagedSlice(s) && serviceKeyOfSlice(s) === key && !s.metadata.deletionTimestamp);
    if (tracker.staleSlices(key, existing)) throw new Error(`EndpointSlice informer cache is out of date for Service ${key}`);
    // Computed on every sync, so that a no-op sync still advances the baseline.
    const triggerTime = triggerTimes.compute(key, svc, selected);
    const plan = planSlices({
      service: svc,
      pods: selected,
      slices: existing.map((s) => clone(s)),
      node: (name) => (name ? nodes.lister.get(name) : undefined),
      maxEndpointsPerSlice: opts.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE,
    });
    try {
      await write(svc, plan, triggerTime);
      if (plan.errors.length) throw new Error(plan.errors.join('; '));
    } catch (e) {
      recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${(e as Error).message}`);
      throw e;
    }
  };

  return runServiceQueue({ name: ENDPOINTSLICE_COMPONENT, ctx, queue, informers: [services, pods, nodes, slices], sync });
}

export const startEndpointSliceController: ControllerStarter = (ctx) => startEndpointSliceControllerWith(ctx);
