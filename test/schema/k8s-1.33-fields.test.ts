// The generated schema is Kubernetes 1.33's: fields added in 1.31–1.33 decode under
// Strict (what `kubectl apply` sends), fields newer than 1.33 or removed by it are
// still unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStrict, type KindInfo } from '../../src/api/schema/decode.js';
import { definitions } from '../../src/api/schema/definitions.js';
import { StatusError } from '../../src/api/errors.js';

const POD: KindInfo = { group: '', version: 'v1', kind: 'Pod' };
const POD_PREFIX = 'Pod in version "v1" cannot be handled as a Pod: ';

function strictError(info: KindInfo, body: unknown): string {
  try {
    decodeStrict(info, JSON.stringify(body), 'Strict');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail('expected a BadRequest');
}

function pod(spec: Record<string, unknown>, status?: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, ...(status ? { status } : {}) };
}

test('a Pod with 1.31–1.33 spec fields decodes under Strict and keeps them', () => {
  const spec = {
    os: { name: 'linux' },
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } },
    securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'MountOption' },
    containers: [{ name: 'c', image: 'nginx', lifecycle: { stopSignal: 'SIGUSR1' }, resources: { claims: [{ name: 'gpu', request: 'r0' }] } }],
    resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }],
    volumes: [{ name: 'data', image: { reference: 'registry.example/data:1', pullPolicy: 'IfNotPresent' } }],
  };
  const r = decodeStrict(POD, JSON.stringify(pod(spec)), 'Strict');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.object.spec, spec);
});

test('a Pod status with 1.31–1.33 fields decodes under Strict', () => {
  const status = {
    observedGeneration: 3,
    conditions: [{ type: 'Ready', status: 'True', observedGeneration: 3 }],
    containerStatuses: [
      {
        name: 'c',
        image: 'nginx',
        imageID: '',
        ready: true,
        restartCount: 0,
        stopSignal: 'SIGTERM',
        user: { linux: { uid: 1000, gid: 1000, supplementalGroups: [4, 20] } },
        allocatedResourcesStatus: [{ name: 'claim:gpu/r0', resources: [{ resourceID: 'dev-0', health: 'Healthy' }] }],
      },
    ],
  };
  const r = decodeStrict(POD, JSON.stringify(pod({ containers: [{ name: 'c', image: 'nginx' }] }, status)), 'Strict');
  assert.deepEqual(r.object.status, status);
});

test('new int64 fields are typed: a string observedGeneration is a Go unmarshal error', () => {
  assert.equal(
    strictError(POD, pod({}, { conditions: [{ type: 'Ready', status: 'True', observedGeneration: 'x' }] })),
    `${POD_PREFIX}json: cannot unmarshal string into Go struct field PodCondition.status.conditions.observedGeneration of type int64`,
  );
});

test('Service trafficDistribution, Lease strategy, EndpointSlice forNodes and Node features decode under Strict', () => {
  const cases: [KindInfo, Record<string, unknown>][] = [
    [{ group: '', version: 'v1', kind: 'Service' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], trafficDistribution: 'PreferClose' } }],
    [
      { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'a', preferredHolder: 'b', strategy: 'OldestEmulationVersion' } },
    ],
    [
      { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'z' }], forNodes: [{ name: 'n1' }] } }] },
    ],
    [
      { group: '', version: 'v1', kind: 'Node' },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { features: { supplementalGroupsPolicy: true }, nodeInfo: { swap: { capacity: 1024 } }, runtimeHandlers: [{ name: 'runc', features: { userNamespaces: true } }] } },
    ],
  ];
  for (const [info, body] of cases) {
    const r = decodeStrict(info, JSON.stringify(body), 'Strict');
    assert.deepEqual(r.object, body, `${info.kind} round-trips`);
  }
});

test('fields newer than 1.33, or removed by it, are still unknown under Strict', () => {
  const body = pod(
    {
      hostnameOverride: 'h', // 1.34
      containers: [{ name: 'c', restartPolicyRules: [{ action: 'Restart' }] }], // 1.34
      resourceClaims: [{ name: 'gpu', source: { resourceClaimName: 'x' } }], // removed in 1.31
    },
    { allocatedResources: { cpu: '1' }, containerStatuses: [{ name: 'c', allocatedResourcesStatus: [{ name: 'r', resources: [{ resourceID: 'd', message: 'hot' }] }] }] },
  );
  assert.equal(
    strictError(POD, body),
    `${POD_PREFIX}strict decoding error: unknown field "spec.hostnameOverride", unknown field "spec.containers[0].restartPolicyRules", unknown field "spec.resourceClaims[0].source", unknown field "status.allocatedResources", unknown field "status.containerStatuses[0].allocatedResourcesStatus[0].resources[0].message"`,
  );
});

test('the new definitions exist and the removed one is gone', () => {
  const defs = definitions();
  for (const name of ['ContainerUser', 'LinuxContainerUser', 'ResourceStatus', 'ResourceHealth', 'NodeFeatures', 'NodeSwapStatus', 'ImageVolumeSource']) {
    assert.ok(defs[`io.k8s.api.core.v1.${name}`], name);
  }
  assert.ok(defs['io.k8s.api.discovery.v1.ForNode']);
  assert.equal(defs['io.k8s.api.core.v1.ClaimSource'], undefined);
  assert.equal(defs['io.k8s.api.core.v1.LinuxContainerUser']!.properties!['uid']!.format, 'int64');
});
