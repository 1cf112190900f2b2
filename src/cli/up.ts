// `ordinal up`: open the store, build the registry, serve the API over HTTPS on loopback with
// a generated CA and bearer token, and run the controllers and the node agent in-process.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SqliteStore } from '../store/sqlite-store.js';
import { Registry } from '../registry/registry.js';
import { strategyFor, codecFor } from '../registry/kinds/index.js';
import { bootstrap, firstServiceIP } from '../registry/bootstrap.js';
import { reconcileKubernetesEndpoints } from '../registry/kubernetes-endpoints.js';
import { InProcessClient } from '../registry/in-process-client.js';
import { createApiServer } from '../apiserver/server.js';
import type { ApiContext } from '../apiserver/api-context.js';
import { ensureServingCerts } from '../apiserver/tls.js';
import { ensureToken } from '../apiserver/auth.js';
import { writeKubeconfig } from '../apiserver/kubeconfig.js';
import { runControllerManager, type ExtraComponent } from '../controllers/manager.js';
import { startNodeAgent, type NodeAgent } from '../node/agent/node-agent.js';
import { startStreamingServer } from '../node/streaming/server.js';
import { startDnsServer } from '../dns/index.js';
import { parseUpOptions, UP_HELP } from './up-options.js';
import { chooseNodeRuntime, type NodeRuntime } from './node-runtime.js';

/** Names the serving certificate covers: how pods and kubectl reach the API server. */
function certificateHosts(listenHost: string, serviceCIDR: string, bridgeAddress: string | undefined): string[] {
  const names = ['localhost', '127.0.0.1', listenHost, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', firstServiceIP(serviceCIDR)];
  if (bridgeAddress) names.push(bridgeAddress);
  return [...new Set(names)];
}

function listenOn(server: ReturnType<typeof createApiServer>, host: string, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

export async function runUp(argv: string[]): Promise<number> {
  const started = performance.now();
  const opts = parseUpOptions(argv);
  if (opts.help) {
    process.stdout.write(UP_HELP);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const store = new SqliteStore(
    join(opts.dataDir, 'state.db'),
    opts.compactRetain !== undefined ? { compactRetain: opts.compactRetain, compactEvery: Math.max(1, Math.floor(opts.compactRetain / 2)) } : {},
  );
  const registry = new Registry(store, { strategyFor, codecFor, serviceCIDR: opts.serviceCIDR, eventTTLSeconds: opts.eventTTLSeconds });
  const token = ensureToken(opts.dataDir);

  const nodeEnabled = !opts.disabled.has('node');
  const node: NodeRuntime | undefined = nodeEnabled
    ? await chooseNodeRuntime(opts.runtime, { dataDir: opts.dataDir, podCIDR: opts.podCIDR, serviceCIDR: opts.serviceCIDR, log })
    : undefined;
  const certs = await ensureServingCerts(opts.dataDir, { hosts: certificateHosts(opts.listen.host, opts.serviceCIDR, node?.bridgeAddress) });

  const context: ApiContext = { registry, now: () => new Date(), bookmarkIntervalMs: opts.bookmarkIntervalMs };
  const server = createApiServer({ context, token, cert: certs.certPem, key: certs.keyPem });
  const port = await listenOn(server, opts.listen.host, opts.listen.port);
  bootstrap(registry, { apiServerPort: port });

  // The node agent: its streaming server (logs, exec, port-forward) is reached by the API
  // server over loopback with a per-run token, the way the apiserver reaches a kubelet.
  let agent: NodeAgent | undefined;
  let streaming: { port: number; close(): Promise<void> } | undefined;
  const extra: ExtraComponent[] = [];
  if (node) {
    const nodeToken = randomBytes(32).toString('base64url');
    streaming = await startStreamingServer({
      token: nodeToken,
      cert: certs.certPem,
      key: certs.keyPem,
      runtime: node.runtime,
      resolve: (ns, pod, container) => agent?.resolveContainer(ns, pod, container),
    });
    context.nodeStreaming = { token: nodeToken, ca: certs.caPem, allowedAddresses: node.bridgeAddress ? [node.bridgeAddress] : [] };
    const streamingPort = streaming.port;
    extra.push({
      name: 'node',
      start: (ctx) => {
        agent = startNodeAgent(ctx, {
          nodeName: opts.nodeName,
          runtime: node.runtime,
          nodeIP: node.nodeIP,
          streaming: { port: streamingPort },
          clusterDNS: node.bridgeAddress ?? '127.0.0.1',
          clusterDomain: 'cluster.local',
          podCIDR: opts.podCIDR,
          serviceCIDR: opts.serviceCIDR,
          crashLoopBaseMs: opts.crashLoopBaseMs,
          dataDir: opts.dataDir,
          log,
        });
        return agent;
      },
    });
  }
  // Cluster DNS: on the bridge address (port 53, where pods' resolv.conf points) once the
  // node's runtime has made the bridge, and on a loopback port for the host.
  let dnsPorts: Promise<{ host: string; port: number }[]> = Promise.resolve([]);
  if (!opts.disabled.has('dns')) {
    extra.push({
      name: 'dns',
      start: (ctx) => {
        const server = (async () => {
          if (node?.bridgeAddress) await agent?.ready;
          const listen = [{ host: '127.0.0.1', port: opts.dnsPort }];
          if (node?.bridgeAddress) listen.push({ host: node.bridgeAddress, port: 53 });
          return startDnsServer(ctx, {
            listen,
            clusterDomain: 'cluster.local',
            ttlSeconds: opts.dnsTTL,
            forward: opts.dnsForward,
            reverseCidrs: [opts.podCIDR, opts.serviceCIDR],
            log,
          });
        })();
        dnsPorts = server.then((s) => s.ports);
        return { stop: async () => (await server.catch(() => undefined))?.stop() };
      },
    });
  }
  const controllers = runControllerManager({
    client: new InProcessClient(registry),
    disabled: opts.disabled,
    extra,
    dataDir: opts.dataDir,
    nfsSubdir: { server: opts.nfsServer, exportPath: opts.nfsExportPath },
    localPathRoot: join(opts.dataDir, 'local-path'),
    hostPathReclaimRoot: join(opts.dataDir, 'hostpath'),
  });
  const url = `https://${opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host}:${port}`;
  writeKubeconfig(opts.kubeconfigPath, { server: url, caPem: certs.caPem, token });

  // Pods reach the API server at the bridge address (the `kubernetes` Service's endpoint),
  // once the node's runtime has made the bridge: the one non-loopback address it binds.
  let podFacing: ReturnType<typeof createApiServer> | undefined;
  if (node?.bridgeAddress && agent) {
    await agent.ready;
    podFacing = createApiServer({ context, token, cert: certs.certPem, key: certs.keyPem });
    const bridgePort = await listenOn(podFacing, node.bridgeAddress, port).catch(() => listenOn(podFacing!, node.bridgeAddress!, 0));
    reconcileKubernetesEndpoints(registry, node.bridgeAddress, bridgePort);
  }
  const dns = (await dnsPorts).find((p) => p.host === '127.0.0.1');
  const ms = Math.round(performance.now() - started);
  const dnsNote = dns ? `; cluster DNS at 127.0.0.1:${dns.port}` : '';
  process.stdout.write(`ordinal ready at ${url} in ${ms} ms${dnsNote}; to use it: export KUBECONFIG=${opts.kubeconfigPath}\n`);

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      done();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // Controllers (and the node agent, which stops its pods gracefully) go first, while the
  // store is still open; then the servers; then the store.
  await controllers.stop();
  await streaming?.close();
  for (const srv of [server, podFacing]) {
    if (!srv) continue;
    await new Promise<void>((done) => {
      srv.close(() => done());
      // Watches are long-lived; end them so close() can finish.
      srv.closeAllConnections();
    });
  }
  store.close();
  return 0;
}
