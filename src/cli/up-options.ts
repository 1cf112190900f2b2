// `ordinal up`'s flags: parsing, defaults and the checks that need nothing but the flags.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDurationSeconds } from './duration.js';
import { isLoopback, parseListen } from './listen.js';
import { parseDisable } from '../controllers/manager.js';
import { parseRuntimeName, type RuntimeName } from './node-runtime.js';

export const UP_HELP = `Usage: ordinal up [options]

Runs the ordinal control plane: a Kubernetes API server on loopback that kubectl drives, its
controllers, and a node agent that runs the pods on this machine.

Options:
  --data-dir DIR            where state, certificates and the token live (default ~/.ordinal)
  --listen HOST:PORT        address to serve on (default 127.0.0.1:6443; port 0 picks a free port)
  --write-kubeconfig FILE   kubeconfig to write (default DATA_DIR/kubeconfig)
  --runtime NAME            process (real processes in Linux namespaces; default where this
                            machine allows it) or simulated (no processes)
  --pod-cidr CIDR           range for pod IPs (default 10.244.0.0/16)
  --service-cidr CIDR       range for Service cluster IPs (default 10.96.0.0/16)
  --node-name NAME          the Node's name (default: this host's name)
  --nfs-server NAME         the NFS server the nfs-subdir provisioner names in its PVs (default
                            127.0.0.1); no share is ever mounted or contacted: every NFS source
                            (server, path) is the directory DATA_DIR/nfs/<server>/<path>
  --nfs-export-path PATH    that provisioner's export path (default /exports)
  --dns-port PORT           loopback port of the cluster DNS for the host (default 0: a free port,
                            printed at start); pods use port 53 on the bridge address
  --dns-ttl SECONDS         TTL of cluster DNS answers (default 5)
  --dns-forward MODE        off (default: names outside cluster.local are REFUSED) or host
                            (forward them to this machine's resolvers)
  --event-ttl DURATION      how long Events are kept (default 1h)
  --disable LIST            components to switch off, comma-separated: statefulset, history,
                            garbagecollector, namespace, serviceaccount, volume, endpointslice,
                            scheduler, node, dns
  -h, --help                show this help
`;

export interface UpOptions {
  help: boolean;
  dataDir: string;
  kubeconfigPath: string;
  listen: { host: string; port: number };
  runtime?: RuntimeName;
  podCIDR: string;
  serviceCIDR: string;
  nodeName?: string;
  dnsPort: number;
  dnsTTL: number;
  dnsForward: 'off' | 'host';
  nfsServer: string;
  nfsExportPath: string;
  eventTTLSeconds: number;
  disabled: Set<string>;
  /** Test-only settings. */
  compactRetain?: number;
  bookmarkIntervalMs?: number;
  crashLoopBaseMs?: number;
}

function intFlag(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
}

function forwardMode(text: string): 'off' | 'host' {
  if (text === 'off' || text === 'host') return text;
  throw new Error(`--dns-forward ${text}: expected "off" or "host"`);
}

export function parseUpOptions(argv: string[]): UpOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      'write-kubeconfig': { type: 'string' },
      runtime: { type: 'string' },
      'pod-cidr': { type: 'string', default: '10.244.0.0/16' },
      'service-cidr': { type: 'string', default: '10.96.0.0/16' },
      'node-name': { type: 'string' },
      'dns-port': { type: 'string', default: '0' },
      'dns-ttl': { type: 'string', default: '5' },
      'dns-forward': { type: 'string', default: 'off' },
      'nfs-server': { type: 'string', default: '127.0.0.1' },
      'nfs-export-path': { type: 'string', default: '/exports' },
      'event-ttl': { type: 'string', default: '1h' },
      disable: { type: 'string', default: '' },
      // Test-only: keep this many revisions of history, so tests can provoke 410 Gone.
      'compact-retain': { type: 'string' },
      // Test-only: time between watch bookmarks.
      'bookmark-interval': { type: 'string' },
      // Test-only: the CrashLoopBackOff base (upstream's is 10 s).
      'crashloop-base': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.ordinal'));
  const listen = parseListen(values.listen!);
  if (!isLoopback(listen.host)) throw new Error(`--listen ${values.listen}: ordinal serves on loopback only`);
  const seconds = (flag: string) => (values[flag as keyof typeof values] !== undefined ? parseDurationSeconds(String(values[flag as keyof typeof values])) : undefined);
  return {
    help: values.help === true,
    dataDir,
    kubeconfigPath: resolve(values['write-kubeconfig'] ?? join(dataDir, 'kubeconfig')),
    listen,
    runtime: parseRuntimeName(values.runtime),
    podCIDR: values['pod-cidr']!,
    serviceCIDR: values['service-cidr']!,
    nodeName: values['node-name'],
    dnsPort: intFlag('--dns-port', values['dns-port']!, 0, 65535),
    dnsTTL: intFlag('--dns-ttl', values['dns-ttl']!, 0, 3600),
    dnsForward: forwardMode(values['dns-forward']!),
    nfsServer: values['nfs-server']!,
    nfsExportPath: values['nfs-export-path']!,
    eventTTLSeconds: parseDurationSeconds(values['event-ttl']!),
    disabled: parseDisable(values.disable!),
    compactRetain: values['compact-retain'] !== undefined ? Number(values['compact-retain']) : undefined,
    bookmarkIntervalMs: seconds('bookmark-interval') !== undefined ? seconds('bookmark-interval')! * 1000 : undefined,
    crashLoopBaseMs: seconds('crashloop-base') !== undefined ? seconds('crashloop-base')! * 1000 : undefined,
  };
}
