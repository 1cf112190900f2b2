// A DNS server on 127.0.0.1 (port 0) fed by a real in-memory Registry through the in-process
// client and shared informers, the path `ordinal up` wires minus HTTP. Tests create Services
// and EndpointSlices directly; no endpointslice controller runs here.

import type { KObject } from '../../src/api/object.js';
import { mustFindResource } from '../../src/api/resources.js';
import { startDnsServer, type DnsServerOptions, type RunningDnsServer } from '../../src/dns/index.js';
import type { InProcessClient } from '../../src/registry/in-process-client.js';
import { inMemoryCluster } from '../support/in-memory-cluster.js';
import { waitFor } from '../support/wait.js';
import { answerTexts, query } from './dns-client.js';

export const SERVICES = mustFindResource('', 'services');
export const SLICES = mustFindResource('discovery.k8s.io', 'endpointslices');
export const NAMESPACES = mustFindResource('', 'namespaces');

export interface DnsHarness {
  client: InProcessClient;
  dns: RunningDnsServer;
  port: number;
  close(): Promise<void>;
}

export async function startDnsHarness(opts: Partial<DnsServerOptions> = {}): Promise<DnsHarness> {
  const cluster = inMemoryCluster();
  const dns = cluster.run(await startDnsServer(cluster.ctx(), { listen: [{ host: '127.0.0.1', port: 0 }], clusterDomain: 'cluster.local', ...opts }));
  await cluster.start(dns.ready);
  return { client: cluster.client, dns, port: dns.ports[0]!.port, close: cluster.close };
}

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: string;
}

export function service(name: string, opts: { headless?: boolean; ports?: PortSpec[]; externalName?: string } = {}): KObject {
  const spec: Record<string, unknown> = opts.externalName
    ? { type: 'ExternalName', externalName: opts.externalName }
    : { selector: { app: name }, ports: (opts.ports ?? [{ name: 'web', port: 80 }]).map((p) => ({ protocol: 'TCP', ...p })) };
  if (opts.headless) spec.clusterIP = 'None';
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec };
}

export interface EndpointSpec {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function slice(service: string, endpoints: EndpointSpec[], opts: { suffix?: string; ports?: PortSpec[]; addressType?: string } = {}): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-${opts.suffix ?? 'abcde'}`, labels: { 'kubernetes.io/service-name': service } },
    addressType: opts.addressType ?? 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
    })),
    ports: (opts.ports ?? [{ name: 'web', port: 8080 }]).map((p) => ({ protocol: 'TCP', ...p })),
  };
}

/** Polls until the answer's records of `type` (sorted, as text) equal `want`. */
export async function waitForAnswer(port: number, name: string, type: number, want: string[]): Promise<void> {
  const sorted = [...want].sort();
  await waitFor(async () => JSON.stringify(answerTexts(await query(port, name, type), type)) === JSON.stringify(sorted), {
    what: `${name} type ${type} to answer ${JSON.stringify(sorted)}`,
    timeoutMs: 5000,
    intervalMs: 10,
  });
}
