// The ClusterIP rules of src/node/agent/cluster-ip/: which endpoints each Service port gets
// (ready first, serving+terminating when none is ready, named target ports per slice,
// headless and ExternalName Services left out), the nft script built from them (checked by
// the kernel inside a scratch netns when we are root), and the component that loads it into
// every sandbox's netns on changes and as a sandbox is created.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { KObject } from '../../../src/api/object.js';
import type { EventHandlers, Informer, InformerFactory, Lister } from '../../../src/client/informer-types.js';
import { rulesetFor, serviceTargets, startClusterIPRules } from '../../../src/node/agent/cluster-ip/index.js';
import { findNftTools, nftApplier } from '../../../src/node/agent/cluster-ip/nft-apply.js';
import type { Runtime, Sandbox, SandboxConfig } from '../../../src/node/runtime/types.js';
import { waitFor } from '../../support/wait.js';
import { rootSkipReason, sh, shResult } from '../../node/network/host-support.js';

const svc = (name: string, spec: Record<string, unknown>, ns = 'default'): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });

interface Ep {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

const slice = (service: string, name: string, ports: { name?: string; port: number; protocol?: string }[], eps: Ep[], ns = 'default'): KObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  ports,
  endpoints: eps.map((e) => ({
    addresses: [e.ip],
    conditions: {
      ...(e.ready === undefined ? {} : { ready: e.ready }),
      ...(e.serving === undefined ? {} : { serving: e.serving }),
      ...(e.terminating === undefined ? {} : { terminating: e.terminating }),
    },
  })),
});

const bySvc = (slices: KObject[]) => (ns: string, name: string) =>
  slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name);

test('endpoints per Service port: ready ones, by port name and protocol, across slices, in a stable order', () => {
  const services = [
    svc('web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
    svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('ext', { type: 'ExternalName', externalName: 'example.invalid', ports: [{ port: 80 }] }),
    svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }),
  ];
  const slices = [
    // Named target ports resolve per pod: the two slices carry different numbers.
    slice('web', 'web-a', [{ name: 'http', port: 8080 }, { name: 'dns', port: 5353, protocol: 'UDP' }], [{ ip: '10.244.0.9' }, { ip: '10.244.0.3', ready: false }]),
    slice('web', 'web-b', [{ name: 'http', port: 80 }], [{ ip: '10.244.0.20', ready: true }]),
    slice('headless', 'headless-a', [{ port: 80 }], [{ ip: '10.244.0.5' }]),
    slice('kubernetes', 'kubernetes', [{ name: 'https', port: 6443 }], [{ ip: '10.244.0.1' }]),
  ];
  const t = serviceTargets(services, bySvc(slices));
  assert.deepEqual(
    t.map((x) => [x.clusterIP, x.protocol, x.port, x.backends.map((b) => `${b.ip}:${b.port}`)]),
    [
      ['10.96.0.1', 'tcp', 443, ['10.244.0.1:6443']],
      ['10.96.0.20', 'udp', 53, ['10.244.0.9:5353']],
      ['10.96.0.20', 'tcp', 80, ['10.244.0.9:8080', '10.244.0.20:80']],
    ],
  );
});

test('with no ready endpoint, serving terminating ones are used; with none at all the port has no backend', () => {
  const services = [svc('a', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] }), svc('b', { clusterIP: '10.96.0.31', ports: [{ port: 80 }] })];
  const slices = [
    slice('a', 'a-1', [{ port: 80 }], [
      { ip: '10.244.0.2', ready: false, serving: true, terminating: true },
      { ip: '10.244.0.3', ready: false, serving: false, terminating: true },
      { ip: '10.244.0.4', ready: false },
    ]),
    slice('b', 'b-1', [{ port: 80 }], [{ ip: '10.244.0.5', ready: false }]),
  ];
  const t = serviceTargets(services, bySvc(slices));
  assert.deepEqual(t.map((x) => x.backends.map((b) => b.ip)), [['10.244.0.2'], []]);
});

test('the ruleset: one DNAT rule per Service port, random choice among several, fixed under ClientIP affinity, a reject for the rest of the range', () => {
  const services = [
    svc('one', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] }),
    svc('many', { clusterIP: '10.96.0.11', ports: [{ port: 8080 }] }),
    svc('sticky', { clusterIP: '10.96.0.12', sessionAffinity: 'ClientIP', ports: [{ port: 8080 }] }),
    svc('empty', { clusterIP: '10.96.0.13', ports: [{ port: 80 }] }),
  ];
  const eps = [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }, { ip: '10.244.0.4' }];
  const slices = [slice('one', 'o', [{ port: 8000 }], [eps[0]!]), slice('many', 'm', [{ port: 80 }], eps), slice('sticky', 's', [{ port: 80 }], eps)];
  const script = rulesetFor(serviceTargets(services, bySvc(slices)), '10.244.0.7', '10.96.0.0/16');
  assert.match(script, /^\s+ip daddr 10\.96\.0\.10 tcp dport 80 dnat to 10\.244\.0\.2:8000$/m);
  assert.match(script, /^\s+ip daddr 10\.96\.0\.11 tcp dport 8080 dnat ip to numgen random mod 3 map \{ 0 : 10\.244\.0\.2 \. 80, 1 : 10\.244\.0\.3 \. 80, 2 : 10\.244\.0\.4 \. 80 \}$/m);
  assert.match(script, /^\s+ip daddr 10\.96\.0\.12 tcp dport 8080 dnat to 10\.244\.0\.[234]:80$/m);
  assert.doesNotMatch(script, /10\.96\.0\.13/);
  assert.match(script, /^\s+ip daddr 10\.96\.0\.0\/16 reject$/m);
  // The same pod always gets the same sticky endpoint; the table is replaced as a whole.
  assert.equal(script, rulesetFor(serviceTargets(services, bySvc(slices)), '10.244.0.7', '10.96.0.0/16'));
  assert.ok(script.startsWith('table ip ordinal_svc {}\ndelete table ip ordinal_svc\n'));
});

// A scratch netns (no links but lo), removed afterwards, where the kernel checks the scripts.
const rootSkip = rootSkipReason();
const scratch = `ordtest-cip-${randomBytes(3).toString('hex')}`;
let scratchMade = false;
after(async () => {
  if (scratchMade) await shResult('ip', ['netns', 'delete', scratch]);
});

class FakeInformer implements Informer {
  readonly objects = new Map<string, KObject>();
  private readonly handlers: EventHandlers[] = [];
  private readonly indexers = new Map<string, (o: KObject) => string[]>();
  constructor(readonly resource: Informer['resource']) {}
  readonly lister: Lister = {
    get: (key) => this.objects.get(key),
    list: () => [...this.objects.values()],
    listNamespace: (ns) => [...this.objects.values()].filter((o) => o.metadata.namespace === ns),
    byIndex: (name, value) => [...this.objects.values()].filter((o) => this.indexers.get(name)?.(o).includes(value)),
  };
  addEventHandler(h: EventHandlers): void {
    this.handlers.push(h);
  }
  addIndexer(name: string, fn: (o: KObject) => string[]): void {
    this.indexers.set(name, fn);
  }
  hasSynced(): boolean {
    return true;
  }
  lastSyncResourceVersion(): string {
    return '1';
  }
  put(o: KObject): void {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    const old = this.objects.get(key);
    this.objects.set(key, o);
    for (const h of this.handlers) old ? h.onUpdate?.(old, o) : h.onAdd?.(o);
  }
}

test('the component loads each new sandbox before returning it, and rewrites every sandbox when endpoints change', { skip: rootSkip }, async () => {
  await sh('ip', ['netns', 'add', scratch]);
  scratchMade = true;
  const informers = new Map<string, FakeInformer>();
  const factory: InformerFactory = {
    forResource: (res) => {
      let inf = informers.get(res.plural);
      if (!inf) informers.set(res.plural, (inf = new FakeInformer(res)));
      return inf;
    },
    start: () => undefined,
    waitForCacheSync: async () => undefined,
    stop: () => undefined,
  };
  const tools = findNftTools();
  assert.ok(!('missing' in tools), 'nsenter and nft are installed');
  const load = nftApplier(tools);
  const sandboxes: Sandbox[] = [];
  const loads: { sandbox: string; script: string }[] = [];
  const runtime = {
    name: 'process',
    listSandboxes: () => [...sandboxes],
    runSandbox: async (cfg: SandboxConfig) => {
      const sb: Sandbox = { id: cfg.podUid, podUid: cfg.podUid, namespace: cfg.namespace, name: cfg.name, ip: `10.244.0.${10 + sandboxes.length}`, createdAt: new Date() };
      sandboxes.push(sb);
      return sb;
    },
    netnsPath: (id: string) => (sandboxes.some((s) => s.id === id) ? `/run/netns/${scratch}` : undefined),
  } as unknown as Runtime;
  const rules = startClusterIPRules({
    informers: factory,
    runtime,
    serviceCIDR: '10.96.0.0/16',
    log: (m) => assert.fail(m),
    apply: async (netns, script) => {
      // The real loader, in the scratch netns: the kernel must accept the script.
      await load(netns, script);
      loads.push({ sandbox: netns, script });
    },
  });
  try {
    const services = informers.get('services')!;
    const slices = informers.get('endpointslices')!;
    services.put(svc('web', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] }));
    slices.put(slice('web', 'web-a', [{ port: 8080 }], [{ ip: '10.244.0.2' }]));
    await rules.idle();

    const cfg = { namespace: 'default', hostsFile: '', resolvConf: '', annotations: {} };
    await rules.runtime.runSandbox({ ...cfg, podUid: 'u1', name: 'p1', hostname: 'p1' });
    assert.equal(loads.length, 1, 'loaded before runSandbox returned');
    assert.match(loads[0]!.script, /dnat to 10\.244\.0\.2:8080/);
    const listed = await sh('ip', ['netns', 'exec', scratch, 'nft', 'list', 'table', 'ip', 'ordinal_svc']);
    assert.match(listed, /ip daddr 10\.96\.0\.20 tcp dport 80 dnat to 10\.244\.0\.2:8080/);

    await rules.runtime.runSandbox({ ...cfg, podUid: 'u2', name: 'p2', hostname: 'p2' });
    slices.put(slice('web', 'web-a', [{ port: 8080 }], [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }]));
    await waitFor(() => loads.length === 4, { timeoutMs: 5000, what: 'both sandboxes rewritten' });
    await rules.idle();
    assert.equal(loads.length, 4, 'nothing loaded twice');
    const after = await sh('ip', ['netns', 'exec', scratch, 'nft', 'list', 'table', 'ip', 'ordinal_svc']);
    assert.match(after, /numgen random mod 2 map \{ 0 : 10\.244\.0\.2 \. 8080, 1 : 10\.244\.0\.3 \. 8080 \}/);
    // The rules are only ever in the scratch netns, never in the host's.
    assert.notEqual((await shResult('nft', ['list', 'table', 'ip', 'ordinal_svc'])).code, 0);
  } finally {
    rules.stop();
  }
});
