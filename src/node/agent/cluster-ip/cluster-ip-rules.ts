// The node agent's ClusterIP proxy. Each pod gets, inside its own network namespace, an nft
// table that rewrites connections to a ClusterIP:port to one of the Service's ready endpoints
// (ruleset.ts): there is no NAT on the host, and the host forwards nothing. The rules follow
// the Service and EndpointSlice informers (coalesced, then applied to every running sandbox
// whose ruleset changed) and are loaded into a new sandbox before its containers start.
// Runtimes without a network namespace per pod (simulated) are skipped.

import type { KObject } from '../../../api/object.js';
import { mustFindResource } from '../../../api/resources.js';
import type { InformerFactory } from '../../../client/informer-types.js';
import type { Runtime, Sandbox, SandboxConfig } from '../../runtime/types.js';
import { findNftTools, nftApplier, type NetnsApply } from './nft-apply.js';
import { rulesetFor } from './ruleset.js';
import { serviceTargets, sliceServiceKey, type ServiceTarget } from './service-targets.js';

const SERVICES = mustFindResource('', 'services');
const ENDPOINT_SLICES = mustFindResource('discovery.k8s.io', 'endpointslices');
const SLICE_INDEX = 'cluster-ip:service';

export interface ClusterIPOptions {
  informers: InformerFactory;
  runtime: Runtime;
  /** The service range: what no rule serves there is rejected inside the pod. */
  serviceCIDR?: string;
  log: (message: string) => void;
  /** How long changes are gathered before rules are rewritten (default 20 ms). */
  coalesceMs?: number;
  /** Retry delay after a failed load (default 2 s). */
  retryMs?: number;
  /** Test seam: how a script is loaded into a netns (default nsenter + nft). */
  apply?: NetnsApply;
}

export interface ClusterIPRules {
  /** The runtime as the pod workers should see it: runSandbox also loads the pod's rules. */
  readonly runtime: Runtime;
  /** Resolves once no rewrite is pending or running (tests). */
  idle(): Promise<void>;
  stop(): void;
}

export function startClusterIPRules(opts: ClusterIPOptions): ClusterIPRules {
  const { runtime, log } = opts;
  const coalesceMs = opts.coalesceMs ?? 20;
  const retryMs = opts.retryMs ?? 2000;
  const services = opts.informers.forResource(SERVICES);
  const slices = opts.informers.forResource(ENDPOINT_SLICES);
  try {
    slices.addIndexer(SLICE_INDEX, (s) => {
      const k = sliceServiceKey(s);
      return k ? [k] : [];
    });
  } catch {
    /* already registered on this factory (a second agent in one process) */
  }

  let apply = opts.apply;
  const enabled = runtime.netnsPath !== undefined;
  if (enabled && !apply) {
    const tools = findNftTools();
    if ('missing' in tools) log(`cluster IPs: ${tools.missing.join(', ')} not found; pods cannot reach ClusterIP Services`);
    else apply = nftApplier(tools);
  }

  /** The ruleset last loaded into each sandbox (by sandbox id). */
  const applied = new Map<string, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const currentTargets = (): ServiceTarget[] =>
    serviceTargets(services.lister.list(), (ns, name) => slices.lister.byIndex(SLICE_INDEX, `${ns}/${name}`));

  const loadInto = async (sb: Sandbox, targets: ServiceTarget[]): Promise<boolean> => {
    const path = runtime.netnsPath?.(sb.id);
    if (!path || !apply) return true;
    const script = rulesetFor(targets, sb.ip, opts.serviceCIDR);
    if (applied.get(sb.id) === script) return true;
    try {
      await apply(path, script);
      applied.set(sb.id, script);
      return true;
    } catch (err) {
      applied.delete(sb.id);
      // The sandbox may be going away under us; only a live one is worth a message.
      if (runtime.listSandboxes().some((s) => s.id === sb.id)) log(`cluster IPs: pod ${sb.namespace}/${sb.name}: ${(err as Error).message}`);
      return false;
    }
  };

  const syncAll = async (): Promise<void> => {
    const targets = currentTargets();
    const live = runtime.listSandboxes();
    const ids = new Set(live.map((s) => s.id));
    for (const id of applied.keys()) if (!ids.has(id)) applied.delete(id);
    let failed = false;
    for (const sb of live) if (!(await loadInto(sb, targets))) failed = true;
    if (failed) schedule(retryMs);
  };

  const run = () => {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = syncAll()
      .catch((err) => log(`cluster IPs: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule(0);
        }
      });
  };

  function schedule(delay = coalesceMs): void {
    if (stopped || !enabled || !apply) return;
    if (timer) {
      if (delay >= coalesceMs) return;
      clearTimeout(timer);
    }
    timer = setTimeout(run, delay);
  }

  const changed = () => {
    if (services.hasSynced() && slices.hasSynced()) schedule();
  };
  for (const inf of [services, slices]) inf.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });

  const wrapped = new Proxy(runtime, {
    get(target, prop) {
      if (prop === 'runSandbox') {
        return async (cfg: SandboxConfig): Promise<Sandbox> => {
          const sb = await target.runSandbox(cfg);
          // Before any container starts: a failure is logged and retried, not fatal to the pod.
          if (!stopped && enabled && !(await loadInto(sb, currentTargets()))) schedule(retryMs);
          return sb;
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

  // Sandboxes that survived a restart of ordinal get their rules once the caches are full.
  void (async () => {
    while (!stopped && !(services.hasSynced() && slices.hasSynced())) await new Promise((r) => setTimeout(r, 50));
    schedule(0);
  })();

  return {
    runtime: wrapped,
    async idle() {
      for (;;) {
        if (running) await running;
        else if (timer) await new Promise((r) => setTimeout(r, coalesceMs));
        else return;
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
