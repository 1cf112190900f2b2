// Over HTTPS: watch bookmarks and timeoutSeconds, Table watch events, dryRun=All, and
// Events expiring after --event-ttl.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForSuite } from '../support/suite-server.js';
import { waitFor } from '../support/wait.js';

describe('watch options, dry runs and event expiry', () => {
  const suite = serverForSuite({ eventTtl: '2s', extraArgs: ['--bookmark-interval', '1s'] });

  test('allowWatchBookmarks brings BOOKMARK events with a resumable resourceVersion', async () => {
    const list = await suite.api.get('/api/v1/namespaces/default/configmaps');
    const rv = list.json.metadata.resourceVersion as string;
    const w = await suite.api.watch(`/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), { timeoutMs: 10_000, what: 'a bookmark' });
    const bm = w.events.find((e) => e.type === 'BOOKMARK')!;
    assert.equal(bm.object.kind, 'ConfigMap');
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Number(rv));
    w.close();
  });

  test('timeoutSeconds ends the watch', async () => {
    const w = await suite.api.watch('/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=0');
    await waitFor(() => w.ended(), { timeoutMs: 10_000, what: 'the watch to end' });
  });

  test('a Table watch sends one-row Tables', async () => {
    const w = await suite.api.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const created = await suite.api.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tbl' }, data: { a: '1' } });
    assert.equal(created.status, 201);
    await waitFor(() => w.events.some((e) => e.object?.kind === 'Table' && e.object.rows?.[0]?.cells?.[0] === 'tbl'), { timeoutMs: 10_000, what: 'a Table event' });
    w.close();
  });

  test('dryRun=All answers 201 but stores nothing', async () => {
    const res = await suite.api.post('/api/v1/namespaces/default/configmaps?dryRun=All', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
    assert.equal(res.status, 201);
    assert.equal(res.json.metadata.name, 'dry');
    assert.equal((await suite.api.get('/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  test('Events expire after --event-ttl', async () => {
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ev1' },
      involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'tbl', apiVersion: 'v1' },
      reason: 'Testing',
      message: 'short-lived',
      type: 'Normal',
      source: { component: 'test' },
    };
    assert.equal((await suite.api.post('/api/v1/namespaces/default/events', ev)).status, 201);
    assert.equal((await suite.api.get('/apis/events.k8s.io/v1/namespaces/default/events/ev1')).json.note, 'short-lived');
    await waitFor(async () => (await suite.api.get('/api/v1/namespaces/default/events/ev1')).status === 404, { timeoutMs: 15_000, what: 'the event to expire' });
  });
});
