// `ordinal up`: open the store, build the registry, and serve the API over HTTPS on
// loopback with a generated CA and bearer token, writing a kubeconfig for kubectl.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { SqliteStore } from '../store/sqlite-store.js';
import { Registry } from '../registry/registry.js';
import { strategyFor, codecFor } from '../registry/kinds/index.js';
import { bootstrap } from '../registry/bootstrap.js';
import { createApiServer } from '../apiserver/server.js';
import { ensureServingCerts } from '../apiserver/tls.js';
import { ensureToken } from '../apiserver/auth.js';
import { writeKubeconfig } from '../apiserver/kubeconfig.js';
import { parseDurationSeconds } from './duration.js';
import { parseListen, isLoopback } from './listen.js';
import { InProcessClient } from '../registry/in-process-client.js';
import { parseDisable, runControllerManager } from '../controllers/manager.js';

const HELP = `Usage: ordinal up [options]

Runs the ordinal control plane: a Kubernetes API server on loopback that kubectl drives.

Options:
  --data-dir DIR            where state, certificates and the token live (default ~/.ordinal)
  --listen HOST:PORT        address to serve on (default 127.0.0.1:6443; port 0 picks a free port)
  --write-kubeconfig FILE   kubeconfig to write (default DATA_DIR/kubeconfig)
  --service-cidr CIDR       range for Service cluster IPs (default 10.96.0.0/16)
  --event-ttl DURATION      how long Events are kept (default 1h)
  --disable LIST            components to switch off, comma-separated: statefulset, history,
                            garbagecollector, namespace, serviceaccount, volume, endpointslice,
                            scheduler, node, dns
  -h, --help                show this help
`;

export async function runUp(argv: string[]): Promise<number> {
  const started = performance.now();
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      'write-kubeconfig': { type: 'string' },
      'service-cidr': { type: 'string', default: '10.96.0.0/16' },
      'event-ttl': { type: 'string', default: '1h' },
      disable: { type: 'string', default: '' },
      // Test-only: keep this many revisions of history, so tests can provoke 410 Gone.
      'compact-retain': { type: 'string' },
      // Test-only: seconds between watch bookmarks.
      'bookmark-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.ordinal'));
  const kubeconfigPath = resolve(values['write-kubeconfig'] ?? join(dataDir, 'kubeconfig'));
  const listen = parseListen(values.listen!);
  if (!isLoopback(listen.host)) throw new Error(`--listen ${values.listen}: ordinal serves on loopback only`);
  const eventTTLSeconds = parseDurationSeconds(values['event-ttl']!);
  const disabled = parseDisable(values.disable!);
  const compactRetain = values['compact-retain'] !== undefined ? Number(values['compact-retain']) : undefined;

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = new SqliteStore(join(dataDir, 'state.db'), compactRetain !== undefined ? { compactRetain, compactEvery: Math.max(1, Math.floor(compactRetain / 2)) } : {});
  const registry = new Registry(store, { strategyFor, codecFor, serviceCIDR: values['service-cidr']!, eventTTLSeconds });
  const token = ensureToken(dataDir);
  const certs = await ensureServingCerts(dataDir, { hosts: [listen.host, 'localhost'] });
  const server = createApiServer({ context: { registry, now: () => new Date(), bookmarkIntervalMs: values['bookmark-interval'] ? parseDurationSeconds(values['bookmark-interval']) * 1000 : undefined }, token, cert: certs.certPem, key: certs.keyPem });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(listen.port, listen.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  bootstrap(registry, { apiServerPort: port });
  const controllers = runControllerManager({ client: new InProcessClient(registry), disabled });
  const url = `https://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;
  writeKubeconfig(kubeconfigPath, { server: url, caPem: certs.caPem, token });

  const ms = Math.round(performance.now() - started);
  process.stdout.write(`ordinal ready at ${url} in ${ms} ms; to use it: export KUBECONFIG=${kubeconfigPath}\n`);

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.close(() => done());
      // Watches are long-lived; end them so close() can finish.
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await controllers.stop();
  store.close();
  return 0;
}
