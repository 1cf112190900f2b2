import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone } from '../../../src/api/object.js';
import { invalidError } from '../../../src/api/field-errors.js';
import { POD_UPDATE_FORBIDDEN } from '../../../src/registry/validation/pod-update.js';
import { podStrategy } from '../../../src/registry/kinds/pods.js';
import { create, ctx, update, updateStatus } from './flow.js';
import { nginxPod } from './fixtures.js';

test('a pod with no containers', () => {
  const { obj, errors } = create(podStrategy, nginxPod({ containers: [] }));
  assert.deepEqual(errors, ['spec.containers: Required value']);
  assert.equal(invalidError('', 'Pod', 'web-0', podStrategy.validate!(obj, ctx)).message, 'Pod "web-0" is invalid: spec.containers: Required value');
});

test('duplicate container names, a missing image, a bad name', () => {
  const { errors } = create(
    podStrategy,
    nginxPod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }, { name: 'B_c' }] }),
  );
  assert.equal(errors[0], 'spec.containers[1].name: Duplicate value: "a"');
  assert.match(errors[1]!, /^spec\.containers\[2\]\.name: Invalid value: "B_c": a lowercase RFC 1123 label must consist of/);
  assert.equal(errors[2], 'spec.containers[2].image: Required value');
});

test('a bad restartPolicy and dnsPolicy', () => {
  const { errors } = create(podStrategy, nginxPod({ restartPolicy: 'Sometimes', dnsPolicy: 'Cluster' }));
  assert.deepEqual(errors, [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  ]);
});

test('volume mounts must name a volume; volume names are unique', () => {
  const pod = nginxPod({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }] });
  (pod.spec as any).containers[0].volumeMounts = [{ name: 'www', mountPath: '/www' }];
  const { errors } = create(podStrategy, pod);
  assert.deepEqual(errors, ['spec.volumes[1].name: Duplicate value: "data"', 'spec.containers[0].volumeMounts[0].name: Not found: "www"']);
});

test('ports: range, protocol and duplicate names', () => {
  const pod = nginxPod();
  (pod.spec as any).containers[0].ports = [
    { containerPort: 70000, name: 'web' },
    { containerPort: 81, name: 'web', protocol: 'HTTP' },
  ];
  const { errors } = create(podStrategy, pod);
  assert.deepEqual(errors, [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].name: Duplicate value: "web"',
    'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
});

test('requests above limits', () => {
  const pod = nginxPod();
  (pod.spec as any).containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2' } };
  assert.deepEqual(create(podStrategy, pod).errors, ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
});

test('only the image may change on update; other spec changes get the 1.33 message', () => {
  const { obj: stored } = create(podStrategy, nginxPod());
  const newImage = clone(stored);
  (newImage.spec as any).containers[0].image = 'nginx:1.27';
  const ok = update(podStrategy, newImage, stored);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.obj.metadata.generation, 2, 'a spec change bumps the pod generation');

  const newPort = clone(stored);
  (newPort.spec as any).containers[0].ports[0].containerPort = 8080;
  const { errors } = update(podStrategy, newPort, stored);
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.startsWith(`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}\n`), errors[0]);
  assert.equal(
    POD_UPDATE_FORBIDDEN,
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
});

test('nodeName cannot be set by an update (only through pods/binding); tolerations may only be added', () => {
  const { obj: stored } = create(podStrategy, nginxPod());
  const bound = clone(stored);
  (bound.spec as any).nodeName = 'node-1';
  assert.match(update(podStrategy, bound, stored).errors[0]!, /^spec: Forbidden: pod updates may not change fields other than/);

  const added = clone(stored);
  (added.spec as any).tolerations.push({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' });
  assert.deepEqual(update(podStrategy, added, stored).errors, []);

  const { obj: withGpu } = create(podStrategy, nginxPod({ tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }] }));
  const removed = clone(withGpu);
  (removed.spec as any).tolerations.shift();
  assert.deepEqual(update(podStrategy, removed, withGpu).errors, ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  // A PUT that drops the admission-added tolerations gets them back, as on a real cluster.
  const dropped = clone(stored);
  delete (dropped.spec as any).tolerations;
  assert.deepEqual(update(podStrategy, dropped, stored).errors, []);
});

test('containers cannot be added on update', () => {
  const { obj: stored } = create(podStrategy, nginxPod());
  const more = clone(stored);
  (more.spec as any).containers.push({ name: 'side', image: 'busybox' });
  assert.deepEqual(update(podStrategy, more, stored).errors, ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('status writes keep the QoS class and check pod IPs', () => {
  const { obj: stored } = create(podStrategy, nginxPod());
  const running = clone(stored);
  running.status = { phase: 'Running', podIP: '10.244.0.5' };
  const { obj, errors } = updateStatus(podStrategy, running, stored);
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.status, { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], qosClass: 'BestEffort' });
  const bad = clone(stored);
  bad.status = { phase: 'Running', podIPs: [{ ip: '10.244.0.300' }] };
  assert.deepEqual(updateStatus(podStrategy, bad, stored).errors, [
    'status.podIPs[0]: Invalid value: "10.244.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
});
