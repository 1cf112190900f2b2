// An external provisioner, in process (sig-storage-lib-external-provisioner's ProvisionController):
// a claim whose storage-provisioner annotation names one of the plugin's names (and, for
// WaitForFirstConsumer classes, that carries the scheduler's selected node) gets a PV named
// `pvc-<uid>` pre-bound to it; a Released PV with reclaim policy Delete that this provisioner
// made is handed to the plugin and then deleted. Events use the library's reasons and texts,
// recorded under `<provisioner>_<identity>` as the library does.

import { StatusError } from '../../api/errors.js';
import { clone, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import { objectKey } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { RequeueError, isConflict, runKeyedLoop } from '../keyed-loop.js';
import { PVCS, PVS } from './binder-writes.js';
import type { ProvisionerPlugin } from './provisioner-plugin.js';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  annotation,
  bindingMode,
  claimClassName,
  claimKey,
  phaseOf,
  provisionedVolumeName,
  reclaimPolicy,
  requestedProvisioner,
  specOf,
  str,
} from './volume-objects.js';

const CLASSES = mustFindResource('storage.k8s.io', 'storageclasses');
const NODES = mustFindResource('', 'nodes');

/** The identity part of the event source (the library uses pod name and a UUID). */
export const PROVISIONER_IDENTITY = 'ordinal';

export function provisionerComponent(name: string): string {
  return `${name}_${PROVISIONER_IDENTITY}`;
}

export function startProvisionerController(ctx: ControllerContext, plugin: ProvisionerPlugin): RunningController {
  const known = new Set(plugin.names);
  const claimInformer = ctx.informers.forResource(PVCS);
  const volumeInformer = ctx.informers.forResource(PVS);
  const classInformer = ctx.informers.forResource(CLASSES);
  const nodeInformer = ctx.informers.forResource(NODES);
  const claimQueue = new WorkQueue<string>();
  const volumeQueue = new WorkQueue<string>();
  const recorder = (name: string) => ctx.events.recorderFor(provisionerComponent(name));

  const mine = (claim: KObject) => {
    const p = requestedProvisioner(claim);
    return p !== undefined && known.has(p);
  };
  claimInformer.addEventHandler({
    onAdd: (c) => mine(c) && claimQueue.add(objectKey(c)),
    onUpdate: (_o, c) => mine(c) && claimQueue.add(objectKey(c)),
  });
  volumeInformer.addEventHandler({
    onAdd: (v) => volumeQueue.add(objectKey(v)),
    onUpdate: (_o, v) => volumeQueue.add(objectKey(v)),
  });

  /** shouldProvision: unbound, ours, and with a selected node when the class waits for a consumer. */
  const shouldProvision = (claim: KObject): KObject | undefined => {
    if (str(specOf(claim).volumeName) || claim.metadata.deletionTimestamp || !mine(claim)) return undefined;
    const cls = classInformer.lister.get(claimClassName(claim));
    if (!cls) return undefined;
    if (bindingMode(cls) === 'WaitForFirstConsumer' && !annotation(claim, ANN_SELECTED_NODE)) return undefined;
    return cls;
  };

  const alreadyProvisioned = async (pvName: string) => {
    if (volumeInformer.lister.get(pvName)) return true;
    try {
      await ctx.client.get(PVS, undefined, pvName);
      return true;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return false;
      throw e;
    }
  };

  const provisionClaim = async (key: string) => {
    const claim = claimInformer.lister.get(key);
    const cls = claim && shouldProvision(claim);
    if (!claim || !cls) return;
    const pvName = provisionedVolumeName(claim);
    if (await alreadyProvisioned(pvName)) return;
    const provisioner = requestedProvisioner(claim)!;
    const events = recorder(provisioner);
    events.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey(claim)}"`);
    const fail = (message: string) => {
      events.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": ${message}`);
      throw new RequeueError(message);
    };
    let selectedNode: KObject | undefined;
    const nodeName = annotation(claim, ANN_SELECTED_NODE);
    if (nodeName) {
      selectedNode = nodeInformer.lister.get(nodeName);
      if (!selectedNode) fail(`failed to get target node: nodes "${nodeName}" not found`);
    }
    let pv: KObject;
    try {
      pv = await plugin.provision({ pvName, claim, storageClass: cls, ...(selectedNode ? { selectedNode } : {}) });
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    pv = clone(pv);
    pv.apiVersion = 'v1';
    pv.kind = 'PersistentVolume';
    pv.metadata = { ...pv.metadata, name: pvName, annotations: { ...(pv.metadata.annotations ?? {}), [ANN_DYNAMICALLY_PROVISIONED]: provisioner } };
    pv.spec = {
      ...specOf(pv),
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: claim.metadata.resourceVersion,
      },
      storageClassName: claimClassName(claim),
    };
    try {
      await ctx.client.create(PVS, undefined, pv);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
    events.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  };

  /** shouldDelete: Released, policy Delete, provisioned by one of our names, not being deleted. */
  const deleteVolume = async (key: string) => {
    const pv = volumeInformer.lister.get(key);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const by = annotation(pv, ANN_DYNAMICALLY_PROVISIONED);
    if (by === undefined || !known.has(by) || phaseOf(pv) !== 'Released' || reclaimPolicy(pv) !== 'Delete') return;
    try {
      await plugin.delete(pv, classInformer.lister);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      recorder(by).event(pv, 'Warning', 'VolumeFailedDelete', message);
      throw new RequeueError(message);
    }
    try {
      await ctx.client.delete(PVS, undefined, pv.metadata.name ?? '', { preconditions: { uid: pv.metadata.uid } });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  };

  const informers = [claimInformer, volumeInformer, classInformer, nodeInformer];
  const label = `provisioner ${plugin.names[0]}`;
  const loops = [
    runKeyedLoop({ ctx, queue: claimQueue, informers, sync: provisionClaim, describe: (key) => `${label}: claim ${key}`, quiet: isConflict }),
    runKeyedLoop({ ctx, queue: volumeQueue, informers, sync: deleteVolume, describe: (key) => `${label}: volume ${key}`, quiet: isConflict }),
  ];
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
