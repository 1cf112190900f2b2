// Stands in for the node agent in integration tests: watches the pods of one namespace,
// records every event in arrival order, and, when asked (or automatically), writes a
// pod's status through the status subresource as a kubelet would once its containers run:
// phase Running, conditions True, containers ready, a pod IP.
import type { ApiClient, WatchStream } from '../../../support/api-client.js';
import { waitFor } from '../../../support/wait.js';

export interface SeenEvent {
  type: string;
  name: string;
  uid: string;
  rv: string;
  revision?: string;
  image?: string;
  /** Phase after the event. */
  phase?: string;
  ready: boolean;
  terminating: boolean;
}

let nextIp = 1;

/** The status a kubelet would report for a running, ready pod. */
export function readyStatus(pod: any, now = new Date()): any {
  const t = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const ip = `10.244.${(nextIp >> 8) & 255}.${nextIp++ & 255}`;
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond),
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: t,
    qosClass: pod.status?.qosClass ?? 'BestEffort',
    containerStatuses: (pod.spec?.containers ?? []).map((c: any) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      containerID: `ordinal://${pod.metadata.uid}/${c.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
    })),
  };
}

function isReady(pod: any): boolean {
  return pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export class PodReadiness {
  readonly events: SeenEvent[] = [];
  /** Latest state of each live pod, by name. */
  readonly pods = new Map<string, any>();
  private watch?: WatchStream;
  private autoReady = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly marked = new Set<string>();

  constructor(private readonly api: ApiClient, readonly namespace: string) {}

  async start(): Promise<void> {
    const list = await this.api.get(`/api/v1/namespaces/${this.namespace}/pods`);
    if (list.status !== 200) throw new Error(`list pods: ${list.status} ${list.text}`);
    for (const p of list.json.items) this.pods.set(p.metadata.name, p);
    const rv = list.json.metadata.resourceVersion;
    this.watch = await this.api.watch(`/api/v1/namespaces/${this.namespace}/pods?watch=true&resourceVersion=${rv}`, { timeoutMs: 0 }, (e) => this.onEvent(e.type, e.object));
    if (this.watch.status !== 200) throw new Error(`watch pods: HTTP ${this.watch.status}`);
  }

  stop(): void {
    this.watch?.close();
  }

  /** From now on, every new pod (by uid) is marked ready as soon as it is seen. */
  setAuto(on: boolean): void {
    this.autoReady = on;
    if (on) for (const p of this.pods.values()) this.maybeAuto(p);
  }

  private onEvent(type: string, pod: any): void {
    if (!pod?.metadata?.name) return;
    const name = pod.metadata.name as string;
    this.events.push({
      type,
      name,
      uid: pod.metadata.uid,
      rv: pod.metadata.resourceVersion,
      revision: pod.metadata.labels?.['controller-revision-hash'],
      image: pod.spec?.containers?.[0]?.image,
      phase: pod.status?.phase,
      ready: isReady(pod),
      terminating: Boolean(pod.metadata.deletionTimestamp),
    });
    if (type === 'DELETED') this.pods.delete(name);
    else this.pods.set(name, pod);
    if (type !== 'DELETED') this.maybeAuto(pod);
  }

  private maybeAuto(pod: any): void {
    if (!this.autoReady || pod.metadata.deletionTimestamp || isReady(pod) || this.marked.has(pod.metadata.uid)) return;
    const p = this.markReady(pod.metadata.name).catch(() => undefined);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Writes a Running+Ready status for the named pod (the current object, whatever its uid). */
  async markReady(name: string): Promise<any> {
    for (let attempt = 0; ; attempt++) {
      const got = await this.api.get(`/api/v1/namespaces/${this.namespace}/pods/${name}`);
      if (got.status !== 200) throw new Error(`get pod ${name}: ${got.status} ${got.text}`);
      const pod = got.json;
      this.marked.add(pod.metadata.uid);
      pod.status = readyStatus(pod);
      const put = await this.api.put(`/api/v1/namespaces/${this.namespace}/pods/${name}/status`, pod);
      if (put.status === 200) return put.json;
      if (put.status !== 409 || attempt >= 5) throw new Error(`put pod ${name} status: ${put.status} ${put.text}`);
    }
  }

  /** Writes phase Running with Ready=False (a pod whose readiness probe fails). */
  async markNotReady(name: string): Promise<void> {
    const got = await this.api.get(`/api/v1/namespaces/${this.namespace}/pods/${name}`);
    const pod = got.json;
    const status = readyStatus(pod);
    for (const c of status.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
    for (const s of status.containerStatuses) s.ready = false;
    pod.status = status;
    const put = await this.api.put(`/api/v1/namespaces/${this.namespace}/pods/${name}/status`, pod);
    if (put.status !== 200) throw new Error(`put pod ${name} status: ${put.status} ${put.text}`);
  }

  /** Names in the order their first ADDED event arrived (each uid once). */
  addedOrder(): string[] {
    return this.events.filter((e) => e.type === 'ADDED').map((e) => e.name);
  }

  deletedOrder(): string[] {
    return this.events.filter((e) => e.type === 'DELETED').map((e) => e.name);
  }

  /** Waits until the live pod `name` satisfies `pred`. */
  async waitPod(name: string, pred: (pod: any) => boolean, what: string, timeoutMs = 15_000): Promise<any> {
    return waitFor(() => {
      const p = this.pods.get(name);
      return p && pred(p) ? p : undefined;
    }, { timeoutMs, what: `${what} (pods: ${[...this.pods.keys()].join(',')})` });
  }

  waitAdded(name: string, timeoutMs?: number): Promise<any> {
    return this.waitPod(name, (p) => !p.metadata.deletionTimestamp, `pod ${name} to exist`, timeoutMs);
  }

  /**
   * Watches for `windowMs` that no event satisfying `pred` arrives (a negative check over a
   * stated window, never a bare sleep before asserting).
   */
  async expectNone(pred: (e: SeenEvent) => boolean, windowMs: number, what: string): Promise<void> {
    const from = this.events.length;
    const deadline = Date.now() + windowMs;
    while (Date.now() < deadline) {
      const bad = this.events.slice(from).find(pred);
      if (bad) throw new Error(`${what}: unexpected ${bad.type} ${bad.name}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const bad = this.events.slice(from).find(pred);
    if (bad) throw new Error(`${what}: unexpected ${bad.type} ${bad.name}`);
  }

  /** Resolves once every automatic status write started so far has finished. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
