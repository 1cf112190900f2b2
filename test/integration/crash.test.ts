// kill -9 during a burst of concurrent writes: every acknowledged write
// survives, resourceVersions stay strictly monotonic, and a watch resumed
// from before the crash sees every acknowledged event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '../support/api-client.js';
import { readKubeconfig } from '../support/kubeconfig.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectStatus } from '../support/expect.js';
import { configMapBody } from '../support/manifests.js';
import { waitFor } from '../support/wait.js';

const NS = 'default';
const PATH = `/api/v1/namespaces/${NS}/configmaps`;
const CLIENTS = 16;
const MAX_PER_CLIENT = 1000;
const KILL_AFTER_ACKS = 400;

interface Ack { client: number; name: string; rv: bigint }

let server: TestServer;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

/** One sequential writer; stops at the first transport error (the crash). */
async function writer(api: ApiClient, client: number, acks: Ack[], failures: string[]): Promise<void> {
  for (let i = 0; i < MAX_PER_CLIENT; i++) {
    const name = `crash-${client}-${i}`;
    try {
      const res = await api.post(PATH, configMapBody(NS, name, { client: String(client), i: String(i) }), { timeoutMs: 10_000 });
      if (res.status === 201) acks.push({ client, name, rv: BigInt(res.json.metadata.resourceVersion) });
      else failures.push(`${name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    } catch {
      return;
    }
  }
}

describe('crash safety', () => {
  it('acknowledged writes survive kill -9 with monotonic resourceVersions and a resumable watch', async (t) => {
    const before = await server.api().post(PATH, configMapBody(NS, 'crash-marker'));
    expectStatus(before, 201, undefined, 'create marker');
    const markerRv = before.json.metadata.resourceVersion as string;

    const api = new ApiClient(readKubeconfig(server.kubeconfig), { maxSockets: CLIENTS });
    const acks: Ack[] = [];
    const failures: string[] = [];
    const writers = Array.from({ length: CLIENTS }, (_, c) => writer(api, c, acks, failures));
    await waitFor(() => acks.length >= KILL_AFTER_ACKS || failures.length > 0, { timeoutMs: 60_000, what: `${KILL_AFTER_ACKS} acknowledged writes` });
    assert.deepEqual(failures, [], 'no write may fail before the crash');
    await server.kill9();
    await Promise.all(writers);
    api.close();
    assert.ok(acks.length >= KILL_AFTER_ACKS, `acks: ${acks.length}`);
    t.diagnostic(`acknowledged before kill -9: ${acks.length}`);

    // Monotonic resourceVersions among acknowledged writes.
    const rvs = acks.map((a) => a.rv);
    assert.equal(new Set(rvs).size, rvs.length, 'acknowledged resourceVersions must be distinct');
    for (let c = 0; c < CLIENTS; c++) {
      const mine = acks.filter((a) => a.client === c).map((a) => a.rv);
      for (let i = 1; i < mine.length; i++) assert.ok(mine[i]! > mine[i - 1]!, `client ${c}: rv ${mine[i]} after ${mine[i - 1]}`);
    }
    const maxAcked = rvs.reduce((m, r) => (r > m ? r : m), 0n);

    await server.restart();
    const list = await server.api().get(PATH);
    expectStatus(list, 200, undefined, 'list after restart');
    const stored = new Map((list.json.items as any[]).map((o) => [o.metadata.name as string, BigInt(o.metadata.resourceVersion)]));
    const missing = acks.filter((a) => stored.get(a.name) !== a.rv);
    assert.deepEqual(missing.map((a) => `${a.name}@${a.rv} (stored: ${stored.get(a.name)})`), [], 'every acknowledged write must be present');

    const afterRes = await server.api().post(PATH, configMapBody(NS, 'crash-after'));
    expectStatus(afterRes, 201, undefined, 'create after restart');
    const afterRv = BigInt(afterRes.json.metadata.resourceVersion);
    assert.ok(afterRv > maxAcked, `post-restart rv ${afterRv} must exceed every acknowledged rv (max ${maxAcked})`);
    const maxStored = [...stored.values()].reduce((m, r) => (r > m ? r : m), 0n);
    assert.ok(afterRv > maxStored, `post-restart rv ${afterRv} must exceed every stored rv (max ${maxStored})`);

    // A watch resumed from before the crash replays every acknowledged create.
    const watch = await server.api().watch(`${PATH}?watch=true&resourceVersion=${markerRv}`);
    try {
      assert.equal(watch.status, 200, 'resumed watch status');
      const wanted = new Set([...acks.map((a) => a.name), 'crash-after']);
      const added = () => new Set(watch.events.filter((e) => e.type === 'ADDED').map((e) => e.object?.metadata?.name as string));
      await waitFor(() => [...wanted].every((n) => added().has(n)), {
        timeoutMs: 20_000, what: 'every acknowledged create on the resumed watch',
      }).catch(() => {
        const got = added();
        const lost = [...wanted].filter((n) => !got.has(n));
        const errs = watch.events.filter((e) => e.type === 'ERROR').map((e) => JSON.stringify(e.object));
        assert.fail(`resumed watch missed ${lost.length} of ${wanted.size} acknowledged creates (e.g. ${lost.slice(0, 5).join(', ')}); ERROR events: ${errs.join(' ')}; ended: ${watch.ended()}`);
      });
      const eventRvs = watch.events.filter((e) => e.type !== 'ERROR').map((e) => BigInt(e.object.metadata.resourceVersion));
      for (let i = 1; i < eventRvs.length; i++) assert.ok(eventRvs[i]! > eventRvs[i - 1]!, `watch event rvs must increase: ${eventRvs[i - 1]} then ${eventRvs[i]}`);
      assert.ok(eventRvs.every((r) => r > BigInt(markerRv)), 'a resumed watch only sends events after its resourceVersion');
    } finally {
      watch.close();
    }
  });
});
