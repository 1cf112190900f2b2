// An in-memory cluster for controller tests: a real Registry on an in-memory SQLite store
// (bootstrapped like `ordinal up`), the in-process client over it, shared informers with a
// quiet log, and event recording: the path `ordinal up` wires, minus HTTP.
//
//   const cluster = inMemoryCluster();
//   const gc = cluster.run(startGarbageCollector(cluster.ctx()));   // register informers first,
//   await cluster.start(gc.ready);                                  // then start them
//   ...
//   await cluster.close();   // stops what run() was given, newest first, then the informers

import type { KObject } from '../../src/api/object.js';
import { StatusError } from '../../src/api/errors.js';
import type { ResourceInfo } from '../../src/api/resources.js';
import { SharedInformerFactory } from '../../src/client/shared-informer-factory.js';
import { ClientEventRecorderFactory } from '../../src/client/event-recorder.js';
import type { EventRecorderFactory } from '../../src/client/event-recorder-types.js';
import type { ControllerContext, RunningController } from '../../src/controllers/context.js';
import type { Registry } from '../../src/registry/registry.js';
import { InProcessClient } from '../../src/registry/in-process-client.js';
import { makeRegistry } from '../registry/generic/make-registry.js';
import { waitFor } from './wait.js';

/** An event a controller emitted, as the recording recorder saw it. */
export interface RecordedEvent {
  component: string;
  kind: string | undefined;
  name: string | undefined;
  type: string;
  reason: string;
  message: string;
}

export interface InMemoryClusterOptions {
  /**
   * 'record' (default): events land in `events`, nothing is written. 'write': the real
   * ClientEventRecorderFactory writes Event objects through the client (flushed on close).
   */
  events?: 'record' | 'write';
}

export interface InMemoryCluster {
  registry: Registry;
  client: InProcessClient;
  informers: SharedInformerFactory;
  /** What the recording recorder saw (empty with `events: 'write'`). */
  events: RecordedEvent[];
  recorders: EventRecorderFactory;
  /** A controller context over this cluster; `overrides` replace its fields (e.g. `options`, `client`). */
  ctx(overrides?: Partial<ControllerContext>): ControllerContext;
  /** Remembers a started controller so that close() stops it; returns it. */
  run<T extends RunningController>(controller: T): T;
  /** Starts the informers, then waits for `ready` if given, else for every informer's cache to sync. */
  start(ready?: Promise<unknown>): Promise<void>;
  /** In `ns` (default "default") when the resource is namespaced. */
  create(res: ResourceInfo, obj: KObject, ns?: string): Promise<KObject>;
  get(res: ResourceInfo, name: string, ns?: string): Promise<KObject>;
  /** Resolves to the object, or undefined once it is gone. */
  tryGet(res: ResourceInfo, name: string, ns?: string): Promise<KObject | undefined>;
  waitGone(res: ResourceInfo, name: string, ns?: string): Promise<void>;
  /** Stops the controllers (newest first) and informers, flushes written events, closes the store. */
  close(): Promise<void>;
}

export function inMemoryCluster(opts: InMemoryClusterOptions = {}): InMemoryCluster {
  const { registry, close } = makeRegistry();
  const client = new InProcessClient(registry);
  const informers = new SharedInformerFactory(client, { log: () => undefined });
  const events: RecordedEvent[] = [];
  const recorders: EventRecorderFactory =
    opts.events === 'write'
      ? new ClientEventRecorderFactory(client, { log: () => undefined })
      : {
          recorderFor: (component) => ({
            event: (obj, type, reason, message) => events.push({ component, kind: obj.kind, name: obj.metadata.name, type, reason, message }),
          }),
          flush: async () => undefined,
        };
  const running: RunningController[] = [];
  const at = (res: ResourceInfo, ns: string) => (res.namespaced ? ns : undefined);
  const tryGet = async (res: ResourceInfo, name: string, ns = 'default') => {
    try {
      return await client.get(res, at(res, ns), name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  };
  return {
    registry,
    client,
    informers,
    events,
    recorders,
    ctx: (overrides = {}) => ({ client, informers, events: recorders, now: () => new Date(), options: {}, ...overrides }),
    run(controller) {
      running.push(controller);
      return controller;
    },
    async start(ready) {
      informers.start();
      await (ready ?? informers.waitForCacheSync());
    },
    create: (res, obj, ns = 'default') => client.create(res, at(res, ns), obj),
    get: (res, name, ns = 'default') => client.get(res, at(res, ns), name),
    tryGet,
    async waitGone(res, name, ns = 'default') {
      await waitFor(async () => (await tryGet(res, name, ns)) === undefined, { what: `${res.plural}/${name} to be deleted`, timeoutMs: 10_000, intervalMs: 10 });
    },
    async close() {
      for (const r of running.splice(0).reverse()) await r.stop();
      informers.stop();
      if (opts.events === 'write') await recorders.flush();
      close();
    },
  };
}
