import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podStrategy } from '../../../src/registry/kinds/pods.js';
import { create } from './flow.js';
import { nginxPod } from './fixtures.js';

test('a new pod gets the 1.33 defaults, the admission-chain fields and a Pending status', () => {
  const { obj, errors } = create(podStrategy, nginxPod());
  assert.deepEqual(errors, []);
  assert.equal(obj.metadata.generation, 1);
  assert.deepEqual(obj.spec, {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: 'default',
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  });
  assert.deepEqual(obj.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('a user status on create is replaced; an existing wildcard toleration suppresses the defaults', () => {
  const pod = nginxPod({ tolerations: [{ operator: 'Exists' }] });
  pod.status = { phase: 'Running' };
  const { obj } = create(podStrategy, pod);
  assert.deepEqual((obj.spec as any).tolerations, [{ operator: 'Exists' }]);
  assert.equal((obj.status as any).phase, 'Pending');
});

test('limits without requests become requests too (SetDefaults_Pod), so the pod is Guaranteed', () => {
  const pod = nginxPod();
  (pod.spec as any).containers[0].resources = { limits: { cpu: '500m', memory: '128Mi' } };
  const { obj } = create(podStrategy, pod);
  assert.deepEqual((obj.spec as any).containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  assert.equal((obj.status as any).qosClass, 'Guaranteed');
});

test('scheduling gates add a PodScheduled=False condition', () => {
  const { obj } = create(podStrategy, nginxPod({ schedulingGates: [{ name: 'wait' }] }));
  assert.deepEqual((obj.status as any).conditions, [
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: '2025-05-01T10:00:00Z',
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    },
  ]);
});
