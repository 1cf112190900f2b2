// $(VAR) expansion with upstream's semantics, and the container environment built from env,
// envFrom and valueFrom.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../../src/api/object.js';
import { expand, mappingFor } from '../../../src/node/agent/env/expansion.js';
import { ContainerConfigError, containerEnv, expandCommand, type ConfigSource } from '../../../src/node/agent/env/container-env.js';
import { serviceEnvMap } from '../../../src/node/agent/env/service-env.js';

const vars = mappingFor(new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['EMPTY', '']]));

describe('expand', () => {
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)$(VAR_B)', 'AB'],
    ['$(EMPTY)x', 'x'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['$', '$'],
    ['x$', 'x$'],
    ['$$', '$'],
    ['$$$$', '$$'],
    ['$()', '$()'],
    ['$(VAR_A)$', 'A$'],
    ['(VAR_A)', '(VAR_A)'],
    ['', ''],
  ];
  for (const [input, want] of cases) it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(expand(input, vars), want));

  it('earlier contexts win over later ones', () => {
    const m = mappingFor(new Map([['X', 'first']]), new Map([['X', 'second'], ['Y', 'y']]));
    assert.equal(expand('$(X)/$(Y)', m), 'first/y');
  });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const objects: Record<string, KObject> = {
  'cm/cfg': { metadata: { name: 'cfg', namespace: 'ns' }, data: { MODE: 'fast', LEVEL: '3' } },
  'secret/creds': { metadata: { name: 'creds', namespace: 'ns' }, data: { PASSWORD: b64('s3cret') } },
};
const source: ConfigSource = {
  configMap: async (_ns, name) => objects[`cm/${name}`],
  secret: async (_ns, name) => objects[`secret/${name}`],
};
const thePod: KObject = {
  metadata: { name: 'web-0', namespace: 'ns', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'hi' } },
  spec: {
    nodeName: 'n1',
    serviceAccountName: 'default',
    containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } } }],
  },
};
const ctx = { podIPs: ['10.1.0.5'], hostIPs: ['127.0.0.1'], nodeAllocatable: { cpu: '4', memory: '8Gi' } };

describe('containerEnv', () => {
  it('resolves envFrom, value expansion, fieldRef, resourceFieldRef and key refs, service variables last', async () => {
    const container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'creds' } }],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'GREETING', value: 'hello $(POD) in $(MODE) mode, $(MISSING) stays, $$(POD) escaped' },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
        { name: 'LEVEL2', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LEVEL' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x', optional: true } } },
        { name: 'SVC', value: '$(KUBERNETES_SERVICE_HOST)' },
        { name: 'MODE', value: 'override' },
      ],
    };
    const services = serviceEnvMap([{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }], 'ns', true);
    const env = await containerEnv(thePod, container, source, ctx, services);
    const m = new Map(env);
    assert.equal(m.get('MODE'), 'override');
    assert.equal(m.get('S_PASSWORD'), 's3cret');
    assert.equal(m.get('GREETING'), 'hello web-0 in fast mode, $(MISSING) stays, $(POD) escaped');
    assert.equal(m.get('IP'), '10.1.0.5');
    assert.equal(m.get('APP'), 'web');
    assert.equal(m.get('CPU_M'), '500');
    assert.equal(m.get('CPU'), '1');
    assert.equal(m.get('MEM_MI'), '32');
    assert.equal(m.get('LEVEL2'), '3');
    assert.equal(m.get('PW'), 's3cret');
    assert.equal(m.has('OPT'), false);
    assert.equal(m.get('SVC'), '10.96.0.1');
    assert.equal(m.get('KUBERNETES_PORT_443_TCP'), 'tcp://10.96.0.1:443');
    assert.equal(m.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
    // Definition order is kept; service variables come after the container's own.
    const names = env.map(([k]) => k);
    assert.ok(names.indexOf('MODE') < names.indexOf('POD'));
    assert.ok(names.indexOf('PW') < names.indexOf('KUBERNETES_SERVICE_HOST'));
  });

  it('a missing non-optional ConfigMap or key is a CreateContainerConfigError with upstream text', async () => {
    await assert.rejects(containerEnv(thePod, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, source, ctx, new Map()), (e: unknown) => e instanceof ContainerConfigError && e.message === 'configmap "nope" not found');
    await assert.rejects(containerEnv(thePod, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey' } } }] }, source, ctx, new Map()), /couldn't find key nokey in Secret ns\/creds/);
  });

  it('expands command and args against the final environment', () => {
    const { command, args } = expandCommand({ command: ['sh', '-c', 'echo $(A)'], args: ['$(B)', '$$(A)', '$(NONE)'] }, [['A', 'a'], ['B', 'b']]);
    assert.deepEqual(command, ['sh', '-c', 'echo a']);
    assert.deepEqual(args, ['b', '$(A)', '$(NONE)']);
  });

  it('service links: namespace services only with enableServiceLinks; kubernetes always', () => {
    const svcs: KObject[] = [
      { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } },
      { metadata: { name: 'my-db', namespace: 'ns' }, spec: { clusterIP: '10.96.0.9', ports: [{ name: 'sql', port: 5432, protocol: 'TCP' }] } },
      { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    ];
    const on = serviceEnvMap(svcs, 'ns', true);
    assert.equal(on.get('MY_DB_SERVICE_HOST'), '10.96.0.9');
    assert.equal(on.get('MY_DB_SERVICE_PORT_SQL'), '5432');
    assert.equal(on.get('MY_DB_PORT_5432_TCP_ADDR'), '10.96.0.9');
    assert.equal(on.has('HEADLESS_SERVICE_HOST'), false);
    const off = serviceEnvMap(svcs, 'ns', false);
    assert.equal(off.has('MY_DB_SERVICE_HOST'), false);
    assert.equal(off.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  });
});
