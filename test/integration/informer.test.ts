// @kubernetes/client-node's informer lists and watches the server, and
// recovers from 410 Gone by re-listing until its cache equals the server's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, makeInformer, type ListWatch, type V1ConfigMap } from '@kubernetes/client-node';
import { startServer, type TestServer } from '../support/server.js';
import { expectStatus } from '../support/expect.js';
import { configMapBody } from '../support/manifests.js';
import { waitFor } from '../support/wait.js';

const NS = 'default';
const PATH = `/api/v1/namespaces/${NS}/configmaps`;
const RETAIN = 20;

let server: TestServer;
before(async () => { server = await startServer({ compactRetain: RETAIN }); });
after(async () => { await server?.dispose(); });

type Snapshot = Map<string, string>;

async function serverSnapshot(): Promise<Snapshot> {
  const res = await server.api().get(PATH);
  expectStatus(res, 200, undefined, 'list configmaps');
  return new Map((res.json.items as any[]).map((o) => [o.metadata.name as string, o.metadata.resourceVersion as string]));
}

function cacheSnapshot(list: ReadonlyArray<V1ConfigMap>): Snapshot {
  return new Map(list.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]));
}

function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** True when a watch from rv is refused as expired (HTTP 410 or an ERROR event with code 410). */
async function watchIsExpired(rv: string): Promise<boolean> {
  const w = await server.api().watch(`${PATH}?watch=true&resourceVersion=${rv}`);
  try {
    if (w.status === 410) return true;
    await waitFor(() => w.events.length > 0 || w.ended(), { timeoutMs: 2000, what: 'first watch event' }).catch(() => false);
    return w.events.some((e) => e.type === 'ERROR' && e.object?.code === 410);
  } finally {
    w.close();
  }
}

describe('client-node informer', () => {
  it('lists, watches add/update/delete, and recovers from 410 Gone', async () => {
    const api = server.api();
    for (const name of ['keep', 'doomed', 'changed']) {
      expectStatus(await api.post(PATH, configMapBody(NS, name, { v: '0' })), 201, undefined, `create ${name}`);
    }

    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    let listCalls = 0;
    const informer = makeInformer<V1ConfigMap>(kc, PATH, () => {
      listCalls++;
      return core.listNamespacedConfigMap({ namespace: NS });
    });
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata!.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata!.name}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata!.name}`));
    informer.on('error', (e) => errors.push(e));

    try {
      await informer.start();
      await waitFor(() => informer.list(NS).length >= 3, { what: `initial list in the informer cache (errors: ${errors.join('; ')})` });

      // Live events.
      expectStatus(await api.post(PATH, configMapBody(NS, 'live', { v: '1' })), 201, undefined, 'create live');
      const live = (await api.get(`${PATH}/live`)).json;
      live.data.v = '2';
      expectStatus(await api.put(`${PATH}/live`, live), 200, undefined, 'update live');
      expectStatus(await api.delete(`${PATH}/live`), 200, undefined, 'delete live');
      for (const ev of ['add live', 'update live', 'delete live']) {
        await waitFor(() => seen.includes(ev), { what: `informer event "${ev}" (seen: ${seen.join(', ')})` });
      }
      await waitFor(async () => sameSnapshot(cacheSnapshot(informer.list(NS)), await serverSnapshot()), { what: 'cache == server list' });

      // Stop watching, remember where we were, and write more than the store keeps.
      // makeInformer returns a ListWatch; its resourceVersion is where a restart resumes.
      const oldRv = (informer as unknown as ListWatch<V1ConfigMap>).latestResourceVersion();
      assert.match(oldRv, /^\d+$/, 'informer resourceVersion');
      await informer.stop();
      expectStatus(await api.delete(`${PATH}/doomed`), 200, undefined, 'delete doomed');
      const changed = (await api.get(`${PATH}/changed`)).json;
      changed.data.v = 'after-gap';
      expectStatus(await api.put(`${PATH}/changed`, changed), 200, undefined, 'update changed');
      for (let i = 0; i < RETAIN * 2; i++) {
        expectStatus(await api.post(PATH, configMapBody(NS, `gap-${i}`)), 201, undefined, `create gap-${i}`);
      }
      await waitFor(() => watchIsExpired(oldRv), { timeoutMs: 20_000, what: `a watch from ${oldRv} to answer 410 Gone` });

      // The informer resumes from oldRv, gets 410, must re-list and converge.
      const listsBefore = listCalls;
      await informer.start();
      await waitFor(async () => sameSnapshot(cacheSnapshot(informer.list(NS)), await serverSnapshot()), {
        timeoutMs: 20_000,
        what: `informer cache == server list after 410 (list calls ${listCalls}, errors: ${errors.map(String).join('; ')})`,
      });
      assert.ok(listCalls > listsBefore, 'the informer must have re-listed after the 410');
      assert.equal(informer.get('doomed', NS), undefined, 'object deleted during the gap is gone from the cache');
      assert.equal(informer.get('changed', NS)?.data?.v, 'after-gap');

      // And it keeps watching after the recovery.
      expectStatus(await api.post(PATH, configMapBody(NS, 'after-recovery')), 201, undefined, 'create after-recovery');
      await waitFor(() => informer.get('after-recovery', NS), { what: 'event after the recovery' });
    } finally {
      await informer.stop();
    }
  });
});
