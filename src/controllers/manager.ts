// The controller manager: the table of every component ordinal knows by name (so that
// `--disable` lists written today keep working as components arrive), parsing of the
// `--disable` list, and starting/stopping the controller components that are switched on.
//
// Components that are not controllers (the node agent `node`, cluster DNS `dns`) are
// started by the composition root (cli/); they appear here because `--disable` is one
// list for the whole process and an unknown name must be an error.

import type { Client } from '../client/types.js';
import { SharedInformerFactory } from '../client/shared-informer-factory.js';
import { ClientEventRecorderFactory } from '../client/event-recorder.js';
import type { ControllerContext, ControllerOptions, ControllerStarter, RunningController } from './context.js';
import { startStatefulSetController } from './statefulset/index.js';
import { startGarbageCollector } from './garbagecollector/index.js';
import { startNamespaceController } from './namespace/index.js';
import { startServiceAccountController } from './serviceaccount/index.js';
import { startScheduler } from './scheduler/index.js';
import { startVolumeController } from './volume/index.js';
import { startEndpointControllers } from './endpointslice/index.js';

export interface ComponentInfo {
  name: string;
  description: string;
  /** The controller that runs this component in the controller manager, when it is one. */
  start?: ControllerStarter;
  /**
   * A component that has no loop of its own but runs inside another one: it can be
   * disabled only together with its host (disabling the host disables it too).
   */
  partOf?: string;
}

/**
 * Every component name, in start order. A name without `start` is either not built yet
 * (switching it off is accepted and does nothing) or is started outside this manager.
 */
export const COMPONENTS: readonly ComponentInfo[] = [
  { name: 'statefulset', description: 'StatefulSet controller (pods, claims, status)', start: startStatefulSetController },
  {
    name: 'history',
    description: 'ControllerRevision history of StatefulSets (runs inside the statefulset controller)',
    partOf: 'statefulset',
  },
  { name: 'garbagecollector', description: 'garbage collector (ownerReferences, cascading deletion)', start: startGarbageCollector },
  { name: 'namespace', description: 'namespace controller (deletes the contents of terminating namespaces)', start: startNamespaceController },
  {
    name: 'serviceaccount',
    description: 'serviceaccount controller (the default ServiceAccount of every namespace)',
    start: startServiceAccountController,
  },
  { name: 'volume', description: 'PersistentVolume binder and provisioners', start: startVolumeController },
  { name: 'endpointslice', description: 'EndpointSlice and Endpoints controllers', start: startEndpointControllers },
  { name: 'scheduler', description: 'pod scheduler', start: startScheduler },
  { name: 'node', description: 'node agent (runs pods)' },
  { name: 'dns', description: 'cluster DNS server' },
];

export const COMPONENT_NAMES: readonly string[] = COMPONENTS.map((c) => c.name);

/**
 * Parses `--disable a,b,c`. Empty entries are ignored; an unknown name is an error that
 * lists the known ones. Disabling a component's host disables the component too; disabling
 * a hosted component alone is an error, because it cannot be switched off on its own.
 */
export function parseDisable(list: string): Set<string> {
  const disabled = new Set<string>();
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    if (!COMPONENT_NAMES.includes(name)) throw new Error(`unknown component "${name}"; known: ${COMPONENT_NAMES.join(', ')}`);
    disabled.add(name);
  }
  for (const c of COMPONENTS) {
    if (!c.partOf) continue;
    if (disabled.has(c.partOf)) disabled.add(c.name);
    else if (disabled.has(c.name)) {
      throw new Error(`component "${c.name}" runs inside "${c.partOf}" and can only be disabled together with it (--disable ${c.partOf},${c.name})`);
    }
  }
  return disabled;
}

/**
 * A component whose starter the composition root supplies because it needs what only the
 * root has (the node agent its runtime, DNS its listen addresses). Its name must be one of
 * COMPONENTS, so that --disable knows it.
 */
export interface ExtraComponent {
  name: string;
  start: ControllerStarter;
}

export interface StartedControllers {
  /** Names of the components actually running in this manager. */
  running: string[];
  stop(): Promise<void>;
}

/** Starts every enabled component that has a controller here; stop() stops them in reverse order. */
export function startControllers(
  ctx: ControllerContext,
  opts: { disabled: ReadonlySet<string>; only?: ReadonlySet<string>; extra?: readonly ExtraComponent[] },
): StartedControllers {
  const started: { name: string; ctl: RunningController }[] = [];
  for (const c of COMPONENTS) {
    if (opts.disabled.has(c.name)) continue;
    if (opts.only && !opts.only.has(c.name)) continue;
    const start = opts.extra?.find((e) => e.name === c.name)?.start ?? c.start;
    if (!start) continue;
    started.push({ name: c.name, ctl: start(ctx) });
  }
  const hosts = new Set(started.map((s) => s.name));
  // A hosted component runs exactly when its host does.
  const running = COMPONENTS.filter((c) => hosts.has(c.name) || (c.partOf !== undefined && hosts.has(c.partOf))).map((c) => c.name);
  return {
    running,
    async stop() {
      for (const s of [...started].reverse()) await s.ctl.stop();
    },
  };
}

export interface ControllerManagerOptions extends ControllerOptions {
  client: Client;
  /** Components switched off (from parseDisable). */
  disabled: ReadonlySet<string>;
  /** When given, only these components run (`ordinal controllers` runs statefulset and history). */
  only?: ReadonlySet<string>;
  now?: () => Date;
  /** Where informer and event-recorder retry messages go; stderr by default. */
  log?: (message: string) => void;
  /** Starters for components the composition root builds (node, dns). */
  extra?: readonly ExtraComponent[];
}

export interface RunningControllerManager {
  /** The components started, in start order. */
  running: string[];
  /** Resolves once every informer the components use has listed. */
  ready: Promise<void>;
  /** Stops the controllers, then the informers, then writes the Events still pending. */
  stop(): Promise<void>;
}

/**
 * The controller manager over one Client: shared informers and an event recorder built
 * from it, the enabled controllers started on them. Used by `ordinal up` (in-process
 * client) and `ordinal controllers` (HTTPS client) alike.
 */
export function runControllerManager(opts: ControllerManagerOptions): RunningControllerManager {
  const now = opts.now ?? (() => new Date());
  const informers = new SharedInformerFactory(opts.client, opts.log ? { log: opts.log } : {});
  const events = new ClientEventRecorderFactory(opts.client, { now, ...(opts.log ? { log: opts.log } : {}) });
  const { client: _c, disabled: _d, only: _o, now: _n, log: _l, extra: _e, ...options } = opts;
  const ctx: ControllerContext = { client: opts.client, informers, events, now, options };
  const started = startControllers(ctx, { disabled: opts.disabled, only: opts.only, extra: opts.extra });
  informers.start();
  return {
    running: started.running,
    ready: informers.waitForCacheSync(),
    async stop() {
      await started.stop();
      informers.stop();
      await events.flush();
    },
  };
}
