// The history against a real in-memory registry through the in-process client: what the
// registry stores for a StatefulSet is already in Go's shape (so revision bytes computed
// from it are the ones 1.33 would write), and the History service's writes are accepted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../src/api/object.js';
import {
  getStatefulSetRevisions,
  newHistory,
  newRevision,
  normalizePodTemplate,
  revisionDataBytes,
  statefulSetPatch,
  truncateHistory,
} from '../../../src/controllers/history/index.js';
import { R, startCluster } from '../namespace/cluster-harness.js';
import { waitFor } from '../../support/wait.js';

/** The StatefulSet of the Kubernetes tutorial (web, nginx-slim, a `www` claim template). */
const tutorialSet = (): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    serviceName: 'nginx',
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'registry.k8s.io/nginx-slim:0.21',
            ports: [{ containerPort: 80, name: 'web' }],
            volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
            readinessProbe: { httpGet: { path: '/', port: 80 } },
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }],
      },
    },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

test('a StatefulSet as the registry stores it is already in Go shape (revision bytes are stable)', async () => {
  const c = await startCluster([]);
  try {
    const stored = await c.client.create(R.statefulsets, 'default', tutorialSet());
    const template = (stored.spec as { template: unknown }).template;
    assert.deepEqual(normalizePodTemplate(template), template);
    const data = JSON.parse(statefulSetPatch(stored));
    assert.equal(data.spec.template.$patch, 'replace');
    assert.equal(data.spec.template.metadata.creationTimestamp, null);
    assert.deepEqual(data.spec.template.spec.containers[0].resources, {});
  } finally {
    await c.close();
  }
});

test('History over the in-process client: create, reuse, rollback renumbering, truncation, adoption', async () => {
  const c = await startCluster([]);
  try {
    const set = await c.client.create(R.statefulsets, 'default', tutorialSet());
    const revisions = c.ctx.informers.forResource(R.revisions);
    c.ctx.informers.start();
    await c.ctx.informers.waitForCacheSync();
    const history = newHistory(c.client, revisions.lister);
    const selector = (set.spec as { selector: never }).selector;
    const listed = () => history.listControllerRevisions(set, selector);
    const withTemplateImage = (image: string, status: Record<string, unknown> = {}): KObject => {
      const s = structuredClone(set);
      (s.spec as any).template.spec.containers[0].image = image;
      s.status = status;
      return s;
    };

    const r1 = await getStatefulSetRevisions(history, set, listed());
    assert.equal(r1.updateRevision.revision, 1);
    assert.equal(revisionDataBytes(r1.updateRevision), statefulSetPatch(set), 'the server keeps the data bytes');
    await waitFor(() => listed().length === 1, { what: 'revision in cache', intervalMs: 5 });

    const v2 = withTemplateImage('nginx:2', { currentRevision: r1.updateRevision.metadata.name });
    const r2 = await getStatefulSetRevisions(history, v2, listed());
    await waitFor(() => listed().length === 2, { what: 'second revision in cache', intervalMs: 5 });
    const back = withTemplateImage('registry.k8s.io/nginx-slim:0.21', { currentRevision: r2.updateRevision.metadata.name });
    const r3 = await getStatefulSetRevisions(history, back, listed());
    assert.equal(r3.updateRevision.metadata.name, r1.updateRevision.metadata.name);
    assert.equal(r3.updateRevision.revision, 3);
    await waitFor(() => listed().find((r) => r.metadata.name === r1.updateRevision.metadata.name)?.revision === 3, { what: 'renumbered revision in cache', intervalMs: 5 });

    const limited = { ...back, spec: { ...(back.spec as object), revisionHistoryLimit: 0 } };
    const deleted = await truncateHistory(history, limited, [], listed(), r3.updateRevision, r3.updateRevision);
    assert.deepEqual(deleted, [r2.updateRevision.metadata.name]);

    const orphan = await c.client.create(R.revisions, 'default', { ...newRevision(withTemplateImage('x:1'), 9, 0), metadata: { ...newRevision(withTemplateImage('x:1'), 9, 0).metadata, ownerReferences: undefined } });
    const adopted = await history.adoptControllerRevision(set, orphan);
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, set.metadata.uid);
    const released = await history.releaseControllerRevision(set, adopted);
    assert.deepEqual(released?.metadata.ownerReferences ?? [], []);
  } finally {
    await c.close();
  }
});
