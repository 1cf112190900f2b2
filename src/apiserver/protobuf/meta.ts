// meta/v1 messages (ObjectMeta, OwnerReference, Time, ManagedFieldsEntry) decoded into the
// JSON shape upstream's encoding/json would produce. Go's protobuf always writes non-pointer
// scalars (e.g. `generateName: ""`), so "omitempty" has to be re-applied here by dropping
// zero values; pointer fields (`*bool`, `*int64`) are kept whenever present on the wire.

import { type Field, bool, bytes, int, mapEntry, msg, str } from './wire.js';

export type JsonObject = Record<string, unknown>;

/** Sets a non-pointer omitempty string: empty means absent. */
export function putStr(o: JsonObject, key: string, v: string): void {
  if (v !== '') o[key] = v;
}

/** Sets a non-pointer omitempty number: zero means absent. */
export function putNum(o: JsonObject, key: string, v: number): void {
  if (v !== 0) o[key] = v;
}

export function pushStr(o: JsonObject, key: string, v: string): void {
  ((o[key] ??= []) as string[]).push(v);
}

export function putMapStr(o: JsonObject, key: string, f: Field): void {
  const [k, v] = mapEntry(f, str, '');
  ((o[key] ??= {}) as Record<string, string>)[k] = v;
}

/** `map<string, bytes>` becomes JSON `{key: base64}` like Go's []byte marshalling. */
export function putMapBytes(o: JsonObject, key: string, f: Field): void {
  const [k, v] = mapEntry(f, bytes, Buffer.alloc(0));
  ((o[key] ??= {}) as Record<string, string>)[k] = v.toString('base64');
}

/** meta/v1 Time (seconds = 1, nanos = 2) as RFC 3339 at second precision; zero is absent. */
export function decodeTime(fields: Field[]): string | undefined {
  let seconds = 0;
  for (const f of fields) if (f.num === 1) seconds = int(f);
  if (seconds === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function putTime(o: JsonObject, key: string, f: Field): void {
  const t = decodeTime(msg(f));
  if (t !== undefined) o[key] = t;
}

export function decodeOwnerReference(fields: Field[]): JsonObject {
  // apiVersion/kind/name/uid are not omitempty in JSON, so they are always present.
  const o: JsonObject = { apiVersion: '', kind: '', name: '', uid: '' };
  for (const f of fields) {
    switch (f.num) {
      case 5: o.apiVersion = str(f); break;
      case 1: o.kind = str(f); break;
      case 3: o.name = str(f); break;
      case 4: o.uid = str(f); break;
      case 6: o.controller = bool(f); break;
      case 7: o.blockOwnerDeletion = bool(f); break;
    }
  }
  return o;
}

function decodeManagedFieldsEntry(fields: Field[]): JsonObject {
  const o: JsonObject = {};
  for (const f of fields) {
    switch (f.num) {
      case 1: putStr(o, 'manager', str(f)); break;
      case 2: putStr(o, 'operation', str(f)); break;
      case 3: putStr(o, 'apiVersion', str(f)); break;
      case 4: putTime(o, 'time', f); break;
      case 6: putStr(o, 'fieldsType', str(f)); break;
      case 7: {
        // FieldsV1.raw (field 1) holds the JSON document verbatim.
        for (const r of msg(f)) if (r.num === 1 && r.bytes!.length > 0) o.fieldsV1 = JSON.parse(r.bytes!.toString('utf8'));
        break;
      }
      case 8: putStr(o, 'subresource', str(f)); break;
    }
  }
  return o;
}

export function decodeObjectMeta(fields: Field[]): JsonObject {
  const o: JsonObject = {};
  for (const f of fields) {
    switch (f.num) {
      case 1: putStr(o, 'name', str(f)); break;
      case 2: putStr(o, 'generateName', str(f)); break;
      case 3: putStr(o, 'namespace', str(f)); break;
      case 4: putStr(o, 'selfLink', str(f)); break;
      case 5: putStr(o, 'uid', str(f)); break;
      case 6: putStr(o, 'resourceVersion', str(f)); break;
      case 7: putNum(o, 'generation', int(f)); break;
      case 8: putTime(o, 'creationTimestamp', f); break;
      case 9: o.deletionTimestamp = decodeTime(msg(f)) ?? '1970-01-01T00:00:00Z'; break;
      case 10: o.deletionGracePeriodSeconds = int(f); break;
      case 11: putMapStr(o, 'labels', f); break;
      case 12: putMapStr(o, 'annotations', f); break;
      case 13: ((o.ownerReferences ??= []) as JsonObject[]).push(decodeOwnerReference(msg(f))); break;
      case 14: pushStr(o, 'finalizers', str(f)); break;
      case 17: ((o.managedFields ??= []) as JsonObject[]).push(decodeManagedFieldsEntry(msg(f))); break;
      // 15 (clusterName) and 16 (initializers) are long gone upstream; skip like any unknown field.
    }
  }
  return o;
}
