import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../src/api/errors.js';
import { decodeProtobufObject } from '../../src/apiserver/protobuf/decode.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Tiny encoder for hand-built bodies (tests only).
function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  do {
    out.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v = Math.floor(v / 128);
  } while (v > 0);
  return Buffer.from(out);
}
const len = (num: number, payload: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  return Buffer.concat([varint((num << 3) | 2), varint(b.length), b]);
};
const vint = (num: number, v: number): Buffer => Buffer.concat([varint(num << 3), varint(v)]);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), len(1, Buffer.concat([len(1, apiVersion), len(2, kind)])), len(2, raw)]);

test('decodes the kubectl-compat.md capture of `kubectl create namespace demo`', () => {
  const body = hex('6b387300 0a0f0a027631 12094e616d657370616365 121c0a140a0464656d6f12001a0022002a0032003800420012001a020a001a002200');
  const got = decodeProtobufObject(body);
  assert.equal(got.apiVersion, 'v1');
  assert.equal(got.kind, 'Namespace');
  assert.deepEqual(got.object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' }, spec: {}, status: {} });
});

// Captured once from kubectl.1.33 against a throwaway 127.0.0.1 HTTP server that logged the
// POST body (the same set-up test/protobuf/kubectl-capture.test.ts runs live):
//   kubectl create service nodeport np --tcp=80:http --node-port=30080
test('decodes a captured NodePort service with a named targetPort', () => {
  const body = hex(
    '6b3873000a0d0a027631120753657276696365126a0a1d0a026e7012001a0022002a003200380042005a090a0361707012026e7012450a200a0738302d6874747012035443501850220a080110001a04687474702880eb0112090a0361707012026e701a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200',
  );
  assert.deepEqual(decodeProtobufObject(body).object, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'np', labels: { app: 'np' } },
    spec: { ports: [{ name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }], selector: { app: 'np' }, type: 'NodePort' },
    status: { loadBalancer: {} },
  });
});

//   kubectl create configmap c --from-literal=a=b --from-literal=empty=
test('keeps empty map values (an empty ConfigMap value is still a key)', () => {
  const body = hex('6b3873000a0f0a0276311209436f6e6669674d617012260a110a016312001a0022002a0032003800420012060a016112016212090a05656d70747912001a002200');
  assert.deepEqual(decodeProtobufObject(body).object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b', empty: '' } });
});

test('decodes metadata maps, owner references, finalizers and pointer fields; skips unknown fields', () => {
  const owner = Buffer.concat([len(5, 'apps/v1'), len(1, 'StatefulSet'), len(3, 'web'), len(4, 'u-1'), vint(6, 1)]);
  const meta = Buffer.concat([
    len(1, 'cfg'),
    len(2, ''),
    len(3, 'ns1'),
    len(11, Buffer.concat([len(1, 'tier'), len(2, 'db')])),
    len(12, Buffer.concat([len(1, 'note'), len(2, 'x')])),
    len(13, owner),
    len(14, 'example.com/f'),
    vint(7, 0),
    len(99, 'future field'), // unknown length-delimited
    vint(98, 5), // unknown varint
    Buffer.concat([varint((97 << 3) | 5), Buffer.alloc(4)]), // unknown fixed32
    Buffer.concat([varint((96 << 3) | 1), Buffer.alloc(8)]), // unknown fixed64
  ]);
  const raw = Buffer.concat([len(1, meta), len(3, Buffer.concat([len(1, 'bin'), len(2, Buffer.from([0, 1, 255]))])), vint(4, 0)]);
  assert.deepEqual(decodeProtobufObject(envelope('v1', 'ConfigMap', raw)).object, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cfg',
      namespace: 'ns1',
      labels: { tier: 'db' },
      annotations: { note: 'x' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u-1', controller: true }],
      finalizers: ['example.com/f'],
    },
    binaryData: { bin: Buffer.from([0, 1, 255]).toString('base64') },
    immutable: false, // *bool: present on the wire means set, even when false
  });
});

test('decodes Secret type, stringData and immutable', () => {
  const raw = Buffer.concat([
    len(1, len(1, 's1')),
    len(2, Buffer.concat([len(1, 'k'), len(2, 'v')])),
    len(3, 'Opaque'),
    len(4, Buffer.concat([len(1, 'plain'), len(2, 'text')])),
    vint(5, 1),
  ]);
  assert.deepEqual(decodeProtobufObject(envelope('v1', 'Secret', raw)).object, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's1' },
    data: { k: 'dg==' },
    type: 'Opaque',
    stringData: { plain: 'text' },
    immutable: true,
  });
});

test('decodes Service dual-stack and policy fields', () => {
  const spec = Buffer.concat([
    len(18, 'None'),
    len(3, 'None'),
    len(19, 'IPv4'),
    len(17, 'SingleStack'),
    len(22, 'Local'),
    vint(13, 1),
    len(14, len(1, vint(1, 300))),
    vint(20, 0),
  ]);
  const got = decodeProtobufObject(envelope('v1', 'Service', Buffer.concat([len(1, len(1, 'h')), len(2, spec)]))).object;
  assert.deepEqual(got.spec, {
    clusterIPs: ['None'],
    clusterIP: 'None',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Local',
    publishNotReadyAddresses: true,
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
    allocateLoadBalancerNodePorts: false,
  });
});

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

test('rejects kinds it cannot decode with 415 UnsupportedMediaType', () => {
  const err = statusOf(() => decodeProtobufObject(envelope('apps/v1', 'Deployment', len(1, len(1, 'd')))));
  assert.equal(err.code, 415);
  assert.equal(err.reason, 'UnsupportedMediaType');
  assert.match(err.message, /Deployment/);
});

test('rejects bodies without the k8s magic or with truncated fields as 400 BadRequest', () => {
  const noMagic = statusOf(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')));
  assert.equal(noMagic.code, 400);
  const full = envelope('v1', 'Namespace', len(1, len(1, 'demo')));
  const truncated = statusOf(() => decodeProtobufObject(full.subarray(0, full.length - 2)));
  assert.equal(truncated.code, 400);
  assert.equal(truncated.reason, 'BadRequest');
});
