// Every active namespace gets a `default` ServiceAccount, recreated when deleted; a
// terminating namespace gets none.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceAccountController } from '../../../src/controllers/serviceaccount/index.js';
import { waitFor } from '../../support/wait.js';
import { R, namespace, startCluster } from '../namespace/cluster-harness.js';

const poll = { intervalMs: 20, timeoutMs: 5000 };

test('existing and new namespaces get a default ServiceAccount; a deleted one comes back', async () => {
  const c = await startCluster([startServiceAccountController]);
  try {
    for (const ns of ['default', 'kube-system']) {
      await waitFor(() => c.tryGet(R.serviceaccounts, 'default', ns), { ...poll, what: `default SA in ${ns}` });
    }
    await c.client.create(R.namespaces, undefined, namespace('team-a'));
    const first = await waitFor(() => c.tryGet(R.serviceaccounts, 'default', 'team-a'), { ...poll, what: 'default SA in team-a' });
    await c.client.delete(R.serviceaccounts, 'team-a', 'default');
    const again = await waitFor(
      async () => {
        const sa = await c.tryGet(R.serviceaccounts, 'default', 'team-a');
        return sa && sa.metadata.uid !== first.metadata.uid ? sa : undefined;
      },
      { ...poll, what: 'default SA recreated' },
    );
    assert.equal(again.metadata.name, 'default');
    // Other accounts are not the controller's business.
    await c.client.create(R.serviceaccounts, 'team-a', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } });
    await c.client.delete(R.serviceaccounts, 'team-a', 'bot');
    assert.equal(await c.tryGet(R.serviceaccounts, 'bot', 'team-a'), undefined);
  } finally {
    await c.close();
  }
});

test('a terminating namespace does not get its default ServiceAccount back', async () => {
  const c = await startCluster([startServiceAccountController]);
  try {
    await c.client.create(R.namespaces, undefined, namespace('going'));
    await waitFor(() => c.tryGet(R.serviceaccounts, 'default', 'going'), { ...poll, what: 'default SA in going' });
    // No namespace controller runs here, so the namespace stays Terminating.
    await c.client.delete(R.namespaces, undefined, 'going');
    await c.client.delete(R.serviceaccounts, 'going', 'default');
    const until = Date.now() + 500;
    while (Date.now() < until) {
      assert.equal(await c.tryGet(R.serviceaccounts, 'default', 'going'), undefined);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await c.close();
  }
});
