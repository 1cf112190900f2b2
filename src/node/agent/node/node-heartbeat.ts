// Registration and heartbeats, as the kubelet does them: create the Node (or reconcile the
// existing one's labels), renew a Lease in kube-node-lease every 10 s (duration 40 s), and
// write the Node's status when it changed or at least every 5 min (nodeStatusReportFrequency),
// checking every 10 s.

import { StatusError } from '../../../api/errors.js';
import { deepEqual, isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import { mustFindResource } from '../../../api/resources.js';
import type { Client } from '../../../client/types.js';
import type { NodeFacts } from './node-facts.js';
import { newNodeObject, nodeLabels, nodeStatus, type NodeIdentity } from './node-object.js';

type J = JsonObject;
const NODES = mustFindResource('', 'nodes');
const LEASES = mustFindResource('coordination.k8s.io', 'leases');
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

export interface HeartbeatTiming {
  leaseRenewMs?: number;
  statusUpdateMs?: number;
  statusReportMs?: number;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
const seconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Status without the heartbeat timestamps, to tell a real change from a heartbeat. */
function withoutHeartbeats(status: unknown): unknown {
  if (!isPlainObject(status)) return status;
  const conds = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject).map((c) => ({ ...c, lastHeartbeatTime: undefined })) : [];
  return { ...status, conditions: conds };
}

export class NodeHeartbeat {
  private node: KObject | undefined;
  private lease: KObject | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastReportMs = 0;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly id: NodeIdentity,
    private readonly facts: NodeFacts,
    private readonly timing: HeartbeatTiming,
    private readonly now: () => Date,
    private readonly log: (m: string) => void,
  ) {}

  async register(): Promise<KObject> {
    const fresh = newNodeObject(this.id, this.facts, seconds(this.now()));
    let node: KObject;
    try {
      node = await this.client.create(NODES, undefined, fresh);
    } catch (err) {
      if (!(err instanceof StatusError) || err.code !== 409) throw err;
      node = await this.client.get(NODES, undefined, this.id.name);
      const labels = { ...(node.metadata.labels ?? {}), ...nodeLabels(this.id, this.facts) };
      const annotations = { ...(node.metadata.annotations ?? {}), ...(fresh.metadata.annotations ?? {}) };
      if (!deepEqual(labels, node.metadata.labels) || !deepEqual(annotations, node.metadata.annotations)) {
        node = await this.client.update(NODES, undefined, { ...node, metadata: { ...node.metadata, labels, annotations } });
      }
    }
    this.node = node;
    await this.updateStatus(true);
    await this.renewLease();
    return this.node;
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => {
        if (!this.stopped) fn().catch((err) => this.log(`node agent: heartbeat: ${(err as Error).message}`));
      }, ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.timing.leaseRenewMs ?? 10_000, () => this.renewLease());
    every(this.timing.statusUpdateMs ?? 10_000, () => this.updateStatus(false));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Writes the status when it changed, or when the report interval has passed. */
  async updateStatus(force: boolean): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const node = this.node ?? (await this.client.get(NODES, undefined, this.id.name));
      const old = isPlainObject(node.status) ? node.status : {};
      const previous = Array.isArray(old.conditions) ? old.conditions.filter(isPlainObject) : [];
      const status = { ...old, ...nodeStatus(this.id, this.facts, seconds(this.now()), previous) };
      const due = Date.now() - this.lastReportMs >= (this.timing.statusReportMs ?? 5 * 60_000);
      if (!force && !due && deepEqual(withoutHeartbeats(status), withoutHeartbeats(old))) return;
      try {
        this.node = await this.client.updateStatus(NODES, undefined, { ...node, status });
        this.lastReportMs = Date.now();
        return;
      } catch (err) {
        if (!(err instanceof StatusError) || (err.code !== 409 && err.code !== 404)) throw err;
        if (err.code === 404) {
          // Someone deleted our Node: register again.
          this.node = undefined;
          await this.register();
          return;
        }
        this.node = undefined;
      }
    }
  }

  private leaseBody(existing?: KObject): KObject {
    const owner = this.node?.metadata.uid
      ? [{ apiVersion: 'v1', kind: 'Node', name: this.id.name, uid: this.node.metadata.uid }]
      : existing?.metadata.ownerReferences;
    const spec: J = { ...(isPlainObject(existing?.spec) ? existing.spec : {}), holderIdentity: this.id.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(this.now()) };
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(existing?.metadata ?? {}), name: this.id.name, namespace: LEASE_NAMESPACE, ...(owner ? { ownerReferences: owner } : {}) },
      spec,
    };
  }

  async renewLease(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      try {
        if (!this.lease) {
          try {
            this.lease = await this.client.get(LEASES, LEASE_NAMESPACE, this.id.name);
          } catch (err) {
            if (!(err instanceof StatusError) || err.code !== 404) throw err;
            this.lease = await this.client.create(LEASES, LEASE_NAMESPACE, this.leaseBody());
            return;
          }
        }
        this.lease = await this.client.update(LEASES, LEASE_NAMESPACE, this.leaseBody(this.lease));
        return;
      } catch (err) {
        if (!(err instanceof StatusError) || (err.code !== 409 && err.code !== 404)) throw err;
        this.lease = undefined;
      }
    }
  }
}
