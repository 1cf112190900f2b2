// An in-process API server (real registry over in-memory SQLite) wired to a node
// streaming fixture through ApiContext.nodeStreaming, with a kubeconfig for kubectl.

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:https';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { Registry } from '../../../src/registry/registry.js';
import { codecFor, strategyFor } from '../../../src/registry/kinds/index.js';
import { bootstrap } from '../../../src/registry/bootstrap.js';
import { mustFindResource } from '../../../src/api/resources.js';
import type { KObject } from '../../../src/api/object.js';
import { createApiServer } from '../../../src/apiserver/server.js';
import { ensureServingCerts } from '../../../src/apiserver/tls.js';
import { writeKubeconfig } from '../../../src/apiserver/kubeconfig.js';
import { runKubectl, startKubectl, type BackgroundKubectl, type KubectlOptions, type KubectlResult } from '../../support/kubectl.js';
import type { NodeFixture } from './node-fixture.js';

export const podsInfo = mustFindResource('', 'pods');
export const nodesInfo = mustFindResource('', 'nodes');

export interface ApiFixture {
  url: string;
  token: string;
  ca: string;
  registry: Registry;
  kubeconfig: string;
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  kubectlBackground(args: string[], opts?: KubectlOptions): BackgroundKubectl;
  addNode(name: string, address: string, port: number): void;
  addPod(name: string, nodeName: string | undefined, containers: string[], phase?: string): void;
  close(): Promise<void>;
}

export async function startApiFixture(node: NodeFixture, allowedAddresses: string[] = []): Promise<ApiFixture> {
  const dir = join(node.dir, 'api');
  mkdirSync(join(dir, 'home'), { recursive: true });
  const store = new SqliteStore(':memory:', { ttlSweepMs: 0 });
  const registry = new Registry(store, { strategyFor, codecFor, serviceCIDR: '10.96.0.0/16', eventTTLSeconds: 3600 });
  const certs = await ensureServingCerts(dir, { hosts: ['127.0.0.1'] });
  const token = randomBytes(16).toString('hex');
  const server: Server = createApiServer({
    context: { registry, now: () => new Date(), nodeStreaming: { token: node.token, ca: node.ca, allowedAddresses } },
    token,
    cert: certs.certPem,
    key: certs.keyPem,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  bootstrap(registry, { apiServerPort: port });
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, { server: url, caPem: certs.caPem, token });
  const env = (v = '1.33') => ({ kubeconfig, cacheDir: join(dir, `cache-${v}`), home: join(dir, 'home') });
  return {
    url,
    token,
    ca: certs.caPem,
    registry,
    kubeconfig,
    kubectl: (a, o = {}) => runKubectl(env(o.version), a, { cwd: node.dir, ...o }),
    kubectlBackground: (a, o = {}) => startKubectl(env(o.version), a, { cwd: node.dir, ...o }),
    addNode(name, address, kubeletPort) {
      registry.create(nodesInfo, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } } as KObject);
      const n = registry.get(nodesInfo, undefined, name);
      registry.update(nodesInfo, undefined, name, {
        ...n,
        status: { addresses: [{ type: 'InternalIP', address }, { type: 'Hostname', address: name }], daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } },
      } as KObject, { subresource: 'status' });
    },
    addPod(name, nodeName, containers, phase = 'Running') {
      registry.create(podsInfo, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
      } as KObject);
      const p = registry.get(podsInfo, 'default', name);
      registry.update(podsInfo, 'default', name, { ...p, status: { phase } } as KObject, { subresource: 'status' });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      store.close();
    },
  };
}
