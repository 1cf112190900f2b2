// The node agent (the kubelet's role): registers this machine as a Node and keeps its Lease
// and status fresh, runs a worker per pod bound to it, re-attaches at start to the sandboxes
// whose pods still exist (removing the rest), and on a clean stop stops every pod gracefully
// and removes its sandbox, so that the next start brings them back as after a reboot.

import * as os from 'node:os';
import { StatusError } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { mustFindResource, type ResourceInfo } from '../../api/resources.js';
import { ClientEventRecorderFactory } from '../../client/event-recorder.js';
import type { DeletedFinalStateUnknown } from '../../client/informer-types.js';
import type { ControllerContext, RunningController } from '../../controllers/context.js';
import type { Sandbox } from '../runtime/types.js';
import { startClusterIPRules } from './cluster-ip/index.js';
import { CrashLoopBackoff } from './crash-loop-backoff.js';
import { serviceEnvMap } from './env/service-env.js';
import { collectNodeFacts } from './node/node-facts.js';
import { NodeHeartbeat } from './node/node-heartbeat.js';
import { nodeAllocatable } from './node/node-object.js';
import type { NodeAgentOptions } from './options.js';
import type { ResolvedContainer } from '../streaming/types.js';
import { PodWorker } from './pod-worker.js';
import type { WorkerDeps } from './worker-deps.js';

export type { NodeAgentOptions } from './options.js';

const PODS = mustFindResource('', 'pods');
const SERVICES = mustFindResource('', 'services');
const CONFIGMAPS = mustFindResource('', 'configmaps');
const SECRETS = mustFindResource('', 'secrets');
const PVCS = mustFindResource('', 'persistentvolumeclaims');
const PVS = mustFindResource('', 'persistentvolumes');

export interface NodeAgent extends RunningController {
  readonly nodeName: string;
  /** Resolves once the Node is registered and existing sandboxes are reconciled. */
  readonly ready: Promise<void>;
  /** For the streaming server: where a pod's container runs, and which log attempts exist. */
  resolveContainer(namespace: string, pod: string, container: string | undefined): ResolvedContainer | undefined;
}

const RUNTIME_VERSION = '0.1.0';

function isDeletedFinal(o: KObject | DeletedFinalStateUnknown): o is DeletedFinalStateUnknown {
  return !('metadata' in o) && 'obj' in o;
}

export function startNodeAgent(ctx: ControllerContext, opts: NodeAgentOptions): NodeAgent {
  const nodeName = opts.nodeName ?? os.hostname();
  const log = opts.log ?? ((m: string) => console.error(m));
  const runtime = opts.runtime;
  const events = new ClientEventRecorderFactory(ctx.client, { host: nodeName, now: () => ctx.now(), log });
  const podInformer = ctx.informers.forResource(PODS);
  const serviceInformer = ctx.informers.forResource(SERVICES);
  const workers = new Map<string, PodWorker>();
  const facts = collectNodeFacts(opts.dataDir);
  const scheme = `ordinal-${runtime.name}`;
  const heartbeat = new NodeHeartbeat(
    ctx.client,
    { name: nodeName, nodeIP: opts.nodeIP, hostname: nodeName, streamingPort: opts.streaming?.port ?? 0, runtimeVersion: `${scheme}://${RUNTIME_VERSION}`, podCIDR: opts.podCIDR },
    facts,
    opts.heartbeat ?? {},
    () => ctx.now(),
    log,
  );
  let reconciled = false;
  let stopped = false;
  // ClusterIP Services: rules in every pod's netns, loaded as its sandbox is created.
  const clusterIPs = startClusterIPRules({ informers: ctx.informers, runtime, serviceCIDR: opts.serviceCIDR, log });

  const getOrUndefined = async (res: ResourceInfo, ns: string | undefined, name: string) => {
    try {
      return await ctx.client.get(res, ns, name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  };

  const deps: WorkerDeps = {
    runtime: clusterIPs.runtime,
    client: ctx.client,
    recorder: events.recorderFor('kubelet'),
    nodeName,
    nodeIP: opts.nodeIP,
    dataDir: opts.dataDir,
    clusterDomain: opts.clusterDomain,
    ranges: { podCIDR: opts.podCIDR, serviceCIDR: opts.serviceCIDR, clusterDNS: opts.clusterDNS },
    backoff: new CrashLoopBackoff(opts.crashLoopBaseMs ?? 10_000),
    objects: {
      configMap: (ns, name) => getOrUndefined(CONFIGMAPS, ns, name),
      secret: (ns, name) => getOrUndefined(SECRETS, ns, name),
      claim: (ns, name) => getOrUndefined(PVCS, ns, name),
      volume: (name) => getOrUndefined(PVS, undefined, name),
    },
    serviceVars: (ns, links) => serviceEnvMap(serviceInformer.lister.list(), ns, links),
    nodeAllocatable: nodeAllocatable(facts),
    defaultCommandFor: opts.defaultCommandFor,
    retryMs: opts.retryMs ?? 2000,
    containerIdScheme: scheme,
    now: () => ctx.now(),
    log,
    onGone: (uid) => workers.delete(uid),
    currentPod: (uid) => {
      const w = workers.get(uid);
      if (!w) return undefined;
      const cached = podInformer.lister.get(`${w.pod.metadata.namespace}/${w.pod.metadata.name}`);
      return cached?.metadata.uid === uid ? cached : undefined;
    },
  };

  const ours = (pod: KObject) => isPlainObject(pod.spec) && pod.spec.nodeName === nodeName;

  const podChanged = (pod: KObject, existing?: Sandbox) => {
    if (stopped || !ours(pod)) return;
    const uid = pod.metadata.uid ?? '';
    let w = workers.get(uid);
    if (!w) {
      w = new PodWorker(deps, pod, existing);
      workers.set(uid, w);
    }
    w.update(pod);
  };

  const podRemoved = (obj: KObject | DeletedFinalStateUnknown) => {
    const pod = isDeletedFinal(obj) ? obj.obj : obj;
    const w = workers.get(pod.metadata.uid ?? '');
    if (w) void w.podDeleted().catch((err) => log(`node agent: tearing down pod ${pod.metadata.namespace}/${pod.metadata.name}: ${(err as Error).message}`));
  };

  podInformer.addEventHandler({
    onAdd: (pod) => reconciled && podChanged(pod),
    onUpdate: (_old, pod) => reconciled && podChanged(pod),
    onDelete: (obj) => reconciled && podRemoved(obj),
  });

  runtime.onContainerExit((e) => {
    for (const w of workers.values()) if (w.sandbox?.id === e.sandboxId) w.containerExited(e.containerName);
  });

  /** Keep the sandboxes of pods that still exist here (same uid); remove every other one. */
  const reconcileSandboxes = async () => {
    const byUid = new Map<string, KObject>();
    for (const pod of podInformer.lister.list()) if (ours(pod) && pod.metadata.uid) byUid.set(pod.metadata.uid, pod);
    for (const sb of runtime.listSandboxes()) {
      const pod = byUid.get(sb.podUid);
      if (pod && !workers.has(sb.podUid)) podChanged(pod, sb);
      else {
        await runtime.removeSandbox(sb.id).catch((err) => log(`node agent: removing stale sandbox ${sb.id}: ${(err as Error).message}`));
      }
    }
    reconciled = true;
    for (const pod of byUid.values()) podChanged(pod);
  };

  const ready = (async () => {
    await runtime.start();
    await heartbeat.register();
    heartbeat.start();
    ctx.informers.start();
    await ctx.informers.waitForCacheSync();
    if (stopped) return;
    await reconcileSandboxes();
  })();
  ready.catch((err) => log(`node agent: start failed: ${(err as Error).stack ?? err}`));

  const resolveContainer = (namespace: string, podName: string, container: string | undefined): ResolvedContainer | undefined => {
    for (const w of workers.values()) {
      if (w.pod.metadata.namespace !== namespace || w.pod.metadata.name !== podName || !w.sandbox) continue;
      if (container === undefined) return { sandboxId: w.sandbox.id, containerName: '', podUid: w.uid };
      const r = [...w.records.values()].find((x) => x.name === container);
      if (!r) return undefined;
      const exited = r.state?.state === 'exited';
      return {
        sandboxId: w.sandbox.id,
        containerName: container,
        podUid: w.uid,
        attempt: r.attempt >= 0 ? r.attempt : undefined,
        // While it waits to restart, lastState is the attempt that just ended; while it
        // runs, lastState is the one before.
        previousAttempt: exited && r.waiting ? r.attempt : r.lastTerminated && r.attempt > 0 ? r.attempt - 1 : undefined,
        waitingReason: r.waiting?.reason ?? (r.attempt < 0 ? 'ContainerCreating' : undefined),
      };
    }
    return undefined;
  };

  return {
    nodeName,
    ready,
    resolveContainer,
    async stop() {
      if (stopped) return;
      stopped = true;
      heartbeat.stop();
      await ready.catch(() => undefined);
      await Promise.all([...workers.values()].map((w) => w.shutdown().catch((err) => log(`node agent: stopping pod ${w.pod.metadata.name}: ${(err as Error).message}`))));
      workers.clear();
      clusterIPs.stop();
      await runtime.close();
      await events.flush();
    },
  };
}
