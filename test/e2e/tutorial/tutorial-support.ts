// Helpers shared by the tutorial's end-to-end tests: the example manifests, a kubectl
// that must succeed, the pod history of a raw API watch, and the table of a
// `kubectl get pods -w --output-watch-events` stream.

import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchEvent } from '../../support/api-client.js';
import type { KubectlOptions } from '../../support/kubectl.js';
import { repoRoot, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';

export const STS = 'examplestatefulset';
export const SVC = 'examplestatefulservice';
export const CURL_POD = 'examplepodforheadlessservice';
export const SVC_FQDN = `${SVC}.default.svc.cluster.local`;
export const podFqdn = (i: number) => `${STS}-${i}.${SVC_FQDN}`;

export function examplesDir(): string {
  return join(repoRoot(), 'examples', 'tutorial');
}

/** Copies examples/tutorial into dir (the tests edit their copy, never the repository's). */
export function copyExamples(dir: string): void {
  cpSync(examplesDir(), dir, { recursive: true });
}

/** Runs kubectl and fails the test with its output unless it exits 0. */
export async function kc(server: TestServer, args: string[], opts: KubectlOptions = {}): Promise<string> {
  const r = await server.kubectl(args, { timeoutMs: 90_000, ...opts });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Table rows of `kubectl get` output (header dropped), split on runs of spaces. */
export function rows(table: string): string[][] {
  return table.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s{2,}|\s+/));
}

export interface PodObject {
  metadata: { name: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { containers: { image: string }[]; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
  status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

export const isReady = (p: PodObject) => !p.metadata.deletionTimestamp && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export async function listPods(server: TestServer, selector = `example=exampleforstateful`): Promise<PodObject[]> {
  const r = await server.api().get(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items as PodObject[];
}

export async function podsByName(server: TestServer): Promise<Map<string, PodObject>> {
  return new Map((await listPods(server)).map((p) => [p.metadata.name, p]));
}

/**
 * Waits until the StatefulSet's pods are exactly `names`, each Ready and (when given) on
 * `image`, and the StatefulSet's status agrees.
 */
export async function waitForPods(server: TestServer, count: number, opts: { image?: string; timeoutMs?: number } = {}): Promise<Map<string, PodObject>> {
  const want = Array.from({ length: count }, (_, i) => `${STS}-${i}`);
  return waitFor(async () => {
    const pods = await podsByName(server);
    if ([...pods.keys()].sort().join() !== want.join()) return undefined;
    for (const p of pods.values()) {
      if (!isReady(p)) return undefined;
      if (opts.image && p.spec.containers[0]!.image !== opts.image) return undefined;
    }
    const sts = (await server.api().get(`/apis/apps/v1/namespaces/default/statefulsets/${STS}`)).json;
    if (sts.status?.readyReplicas !== count || sts.status?.replicas !== count) return undefined;
    return pods;
  }, { timeoutMs: opts.timeoutMs ?? 90_000, intervalMs: 100, what: `${count} Ready pods${opts.image ? ` on ${opts.image}` : ''}` });
}

/** One moment in a pod's life as a raw API watch reported it. */
export interface PodMoment { seq: number; type: string; name: string; uid: string; image: string; ready: boolean; terminating: boolean }

/** Records every pod event of the tutorial's StatefulSet from now on. */
export async function recordPods(server: TestServer) {
  const list = await server.api().get('/api/v1/namespaces/default/pods?labelSelector=example%3Dexampleforstateful');
  const rv = list.json.metadata.resourceVersion as string;
  const stream = await server.api().watch(
    `/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=false&labelSelector=example%3Dexampleforstateful&resourceVersion=${rv}`,
  );
  assert.equal(stream.status, 200);
  const moments = (): PodMoment[] =>
    stream.events
      .filter((e: WatchEvent) => ['ADDED', 'MODIFIED', 'DELETED'].includes(e.type))
      .map((e: WatchEvent, seq: number) => {
        const p = e.object as PodObject;
        return {
          seq,
          type: e.type,
          name: p.metadata.name,
          uid: p.metadata.uid,
          image: p.spec.containers[0]!.image,
          ready: isReady(p),
          terminating: !!p.metadata.deletionTimestamp,
        };
      });
  return { moments, close: () => stream.close() };
}

/** The first moment matching pred, or a failure naming what was seen. */
export function first(moments: PodMoment[], what: string, pred: (m: PodMoment) => boolean): PodMoment {
  const m = moments.find(pred);
  assert.ok(m, `never saw ${what}; saw:\n${moments.map((x) => `${x.type} ${x.name} ${x.uid.slice(0, 8)} ${x.image} ready=${x.ready} terminating=${x.terminating}`).join('\n')}`);
  return m;
}

/** When the pod with this uid began to go: its deletionTimestamp, or its DELETED event. */
export function goingAt(moments: PodMoment[], uid: string, name: string): number {
  return first(moments, `${name} (${uid}) being deleted`, (m) => m.uid === uid && (m.terminating || m.type === 'DELETED')).seq;
}

export function goneAt(moments: PodMoment[], uid: string, name: string): number {
  return first(moments, `${name} (${uid}) gone`, (m) => m.uid === uid && m.type === 'DELETED').seq;
}

/** The pod named `name` with a uid not in `old` first Ready. */
export function newReadyAt(moments: PodMoment[], name: string, old: Set<string>): number {
  return first(moments, `a new ${name} Ready`, (m) => m.name === name && !old.has(m.uid) && m.ready).seq;
}

/** Rows of a `kubectl get pods -w --output-watch-events` table: EVENT NAME READY STATUS RESTARTS AGE. */
export function watchRows(out: string): { event: string; name: string; ready: string; status: string }[] {
  return out
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('EVENT'))
    .map((l) => {
      const [event, name, ready, status] = l.trim().split(/\s+/);
      return { event: event!, name: name!, ready: ready!, status: status! };
    });
}
