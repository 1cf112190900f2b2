import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openapiV2, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from '../../src/apiserver/openapi/v2.js';

/** A tiny protobuf reader: field number → raw values (Buffers for length-delimited, numbers for varints). */
function fields(buf: Buffer): Map<number, (Buffer | number)[]> {
  const out = new Map<number, (Buffer | number)[]>();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(i, i + len);
      i += len;
    } else throw new Error(`unexpected wire type ${wire}`);
    out.set(key >>> 3, [...(out.get(key >>> 3) ?? []), value]);
  }
  return out;
}

const str = (b: Buffer | number | undefined) => (b as Buffer).toString('utf8');
const one = (m: Map<number, (Buffer | number)[]>, n: number) => m.get(n)?.[0] as Buffer;

test('/openapi/v2 is a protobuf Document kubectl 1.27/1.28 accept', () => {
  const r = openapiV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
  assert.equal(r.contentType, OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
  assert.doesNotMatch(r.contentType, /@/);
  const doc = fields(r.body as Buffer);
  assert.equal(str(one(doc, 1)), '2.0');
  const paths = fields(one(doc, 8)).get(2)!.map((b) => fields(b as Buffer));
  const byName = new Map(paths.map((p) => [str(one(p, 1)), fields(one(p, 2))]));
  const sts = byName.get('/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}');
  assert.ok(sts, 'StatefulSet item path');
  const patch = fields(one(sts, 8));
  assert.equal(str(one(patch, 5)), 'patchAppsV1NamespacedStatefulSet');
  const queryNames = patch.get(8)!.map((p) => {
    const sub = fields(one(fields(one(fields(one(fields(p as Buffer), 1)), 2)), 3));
    assert.equal(str(one(sub, 2)), 'query');
    return str(one(sub, 4));
  });
  assert.ok(queryNames.includes('fieldValidation'));
  const ext = new Map(patch.get(13)!.map((b) => {
    const na = fields(b as Buffer);
    return [str(one(na, 1)), str(one(fields(one(na, 2)), 2))];
  }));
  assert.equal(ext.get('x-kubernetes-group-version-kind'), 'group: apps\nkind: StatefulSet\nversion: v1\n');
  const pod = fields(one(byName.get('/api/v1/namespaces/{namespace}/pods/{name}')!, 8));
  const podExt = patch && pod.get(13)!.map((b) => str(one(fields(one(fields(b as Buffer), 2)), 2)));
  assert.ok(podExt.includes('group: ""\nkind: Pod\nversion: v1\n'));
});
