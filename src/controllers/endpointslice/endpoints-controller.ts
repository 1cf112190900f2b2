// The legacy Endpoints controller (upstream pkg/controller/endpoint): for every Service with
// a selector, an Endpoints object of the same name lists the selected pods' addresses, ready
// ones under `addresses` and the others under `notReadyAddresses`. Endpoints whose Service
// is gone are deleted, including ones left over from before a restart.

import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, ControllerStarter, RunningController } from '../context.js';
import { rawSubsets, repackSubsets } from './endpoint-subsets.js';
import { desiredEndpoints } from './endpoints-object.js';
import { isManagedService, selectsPod } from './service-facts.js';
import { keyOf, namespaceTerminating, queueServicesOnChanges, runServiceQueue, unwrap } from './service-queue.js';
import { TriggerTimeTracker } from './trigger-time.js';

export const ENDPOINTS_COMPONENT = 'endpoint-controller';

const SERVICES = mustFindResource('', 'services');
const PODS = mustFindResource('', 'pods');
const ENDPOINTS = mustFindResource('', 'endpoints');

/** Endpoints used as leader-election locks have no Service and must survive the leftover sweep. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export const startEndpointsController: ControllerStarter = (ctx: ControllerContext): RunningController => {
  const services = ctx.informers.forResource(SERVICES);
  const pods = ctx.informers.forResource(PODS);
  const endpoints = ctx.informers.forResource(ENDPOINTS);
  const queue = new WorkQueue<string>();
  const triggerTimes = new TriggerTimeTracker();
  const recorder = ctx.events.recorderFor(ENDPOINTS_COMPONENT);
  // The resourceVersion each Endpoints had before our last update: seeing it again in the
  // cache means the cache has not caught up with that update yet.
  const superseded = new Map<string, string>();

  queueServicesOnChanges(services, pods, queue);
  endpoints.addEventHandler({ onDelete: (e) => queue.add(keyOf(unwrap(e))) });

  const sync = async (key: string) => {
    const slash = key.indexOf('/');
    const ns = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const svc = services.lister.get(key);
    if (!svc) {
      try {
        await ctx.client.delete(ENDPOINTS, ns, name);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
      triggerTimes.deleteService(key);
      superseded.delete(key);
      return;
    }
    if (!isManagedService(svc)) return;
    const selected = pods.lister.listNamespace(ns).filter((p) => selectsPod(svc, p));
    const triggerTime = triggerTimes.compute(key, svc, selected);
    const subsets = repackSubsets(rawSubsets(svc, selected));

    const current = endpoints.lister.get(key);
    if (current && superseded.get(key) === current.metadata.resourceVersion) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${key}`);
    }
    const next = desiredEndpoints(svc, current, subsets, triggerTime);
    if (!next) return;
    try {
      if (!current) await ctx.client.create(ENDPOINTS, ns, next);
      else {
        const updated = await ctx.client.update(ENDPOINTS, ns, next);
        if (updated.metadata.resourceVersion !== current.metadata.resourceVersion) superseded.set(key, current.metadata.resourceVersion ?? '');
      }
    } catch (e) {
      if (!current && namespaceTerminating(e)) return;
      const msg = (e as Error).message;
      if (!current) recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${msg}`);
      else recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${msg}`);
      throw e;
    }
  };

  // Once, at start: Endpoints whose Service was deleted while no controller ran.
  const queueLeftovers = () => {
    for (const ep of endpoints.lister.list()) if (!(LEADER_ANNOTATION in (ep.metadata.annotations ?? {}))) queue.add(keyOf(ep));
  };

  return runServiceQueue({ name: ENDPOINTS_COMPONENT, ctx, queue, informers: [services, pods, endpoints], sync, onSynced: queueLeftovers });
};
