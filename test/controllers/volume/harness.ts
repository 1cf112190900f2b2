// The volume controllers against a real in-memory Registry through the in-process client and
// shared informers (the path `ordinal up` wires, minus HTTP), with a temporary data dir.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../../../src/api/object.js';
import { mustFindResource, type ResourceInfo } from '../../../src/api/resources.js';
import type { InProcessClient } from '../../../src/registry/in-process-client.js';
import type { ControllerOptions } from '../../../src/controllers/context.js';
import { startVolumeController } from '../../../src/controllers/volume/index.js';
import { inMemoryCluster, type RecordedEvent } from '../../support/in-memory-cluster.js';
import { makeTempDir, removeTempDir } from '../../support/temp.js';
import { waitFor } from '../../support/wait.js';

export const PVS = mustFindResource('', 'persistentvolumes');
export const PVCS = mustFindResource('', 'persistentvolumeclaims');
export const CLASSES = mustFindResource('storage.k8s.io', 'storageclasses');
export const PODS = mustFindResource('', 'pods');
export const NODES = mustFindResource('', 'nodes');

export interface VolumeHarness {
  client: InProcessClient;
  events: RecordedEvent[];
  /** The temporary data dir (NFS at DATA/nfs, local-path at DATA/local-path, hostPath reclaim root DATA/hostpath). */
  dataDir: string;
  create(res: ResourceInfo, obj: KObject, ns?: string): Promise<KObject>;
  tryGet(res: ResourceInfo, name: string, ns?: string): Promise<KObject | undefined>;
  get(res: ResourceInfo, name: string, ns?: string): Promise<KObject>;
  waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs?: number): Promise<NonNullable<T>>;
  waitEvent(match: Partial<RecordedEvent>, timeoutMs?: number): Promise<RecordedEvent>;
  eventsFor(name: string): RecordedEvent[];
  close(): Promise<void>;
}

export async function startVolumeHarness(options: ControllerOptions = {}): Promise<VolumeHarness> {
  const cluster = inMemoryCluster();
  // These tests set up their own classes: drop the default one a fresh cluster starts with.
  cluster.registry.delete(CLASSES, undefined, 'standard');
  const dataDir = makeTempDir('ordinal-volume-');
  cluster.run(startVolumeController(cluster.ctx({ options: { dataDir, volumeResyncMs: 300, ...options } })));
  await cluster.start();

  const { client, events, create, tryGet, get } = cluster;
  const wait = <T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000) => waitFor(fn, { what, timeoutMs, intervalMs: 20 });
  return {
    client,
    events,
    dataDir,
    create,
    tryGet,
    get,
    waitFor: wait,
    waitEvent: (match, timeoutMs) =>
      wait(`event ${JSON.stringify(match)}`, () => events.find((e) => Object.entries(match).every(([k, v]) => e[k as keyof RecordedEvent] === v)), timeoutMs),
    eventsFor: (name) => events.filter((e) => e.name === name),
    async close() {
      await cluster.close();
      removeTempDir(dataDir);
    },
  };
}

export function storageClass(name: string, provisioner: string, extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...extra };
}

export function claim(name: string, opts: { size?: string; className?: string | null; modes?: string[]; volumeName?: string; annotations?: Record<string, string>; labels?: Record<string, string>; selector?: unknown } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}), ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: opts.size ?? '200Mi' } },
      ...(opts.className !== null && opts.className !== undefined ? { storageClassName: opts.className } : {}),
      ...(opts.volumeName ? { volumeName: opts.volumeName } : {}),
      ...(opts.selector ? { selector: opts.selector } : {}),
    },
  };
}

export function nfsVolume(name: string, server: string, p: string, opts: { size?: string; policy?: string; className?: string; modes?: string[] } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: opts.size ?? '2Gi' },
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: opts.policy ?? 'Recycle',
      ...(opts.className !== undefined ? { storageClassName: opts.className } : {}),
      nfs: { server, path: p },
    },
  };
}

export function hostPathVolume(name: string, p: string, opts: { size?: string; policy?: string; className?: string } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: opts.size ?? '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: opts.policy ?? 'Retain',
      ...(opts.className !== undefined ? { storageClassName: opts.className } : {}),
      hostPath: { path: p },
    },
  };
}

export const phase = (o: KObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase;
export const spec = (o: KObject) => o.spec as Record<string, any>;

/** A directory holding one file, placed by a test to prove an operation did not reach it. */
export function makeCanary(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'canary.txt');
  fs.writeFileSync(file, 'still here');
  return file;
}

export function canaryAlive(file: string): boolean {
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8') === 'still here';
}

/** Holds for `ms`, failing as soon as `bad()` is true: the "stays so" checks. */
export async function holdsFor(ms: number, bad: () => Promise<string | undefined> | string | undefined): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const why = await bad();
    if (why) throw new Error(why);
    await new Promise((r) => setTimeout(r, 25));
  }
}
