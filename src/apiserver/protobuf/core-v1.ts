// core/v1 kinds that kubectl >= 1.32 POSTs as protobuf from its `create <generator>`
// subcommands. Field numbers follow upstream's k8s.io/api/core/v1 generated.proto; output
// mirrors what the same object would look like as a JSON request body.

import { type JsonObject, decodeObjectMeta, pushStr, putMapBytes, putMapStr, putNum, putStr } from './meta.js';
import { type Field, bool, int, msg, str } from './wire.js';

/** intstr.IntOrString: type = 1 (0 int, 1 string), intVal = 2, strVal = 3. */
export function decodeIntOrString(fields: Field[]): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const f of fields) {
    if (f.num === 1) type = int(f);
    else if (f.num === 2) intVal = int(f);
    else if (f.num === 3) strVal = str(f);
  }
  return type === 1 ? strVal : intVal;
}

export function decodeNamespace(fields: Field[]): JsonObject {
  // spec and status are plain structs in Go, so JSON always carries them (as `{}` when empty).
  const o: JsonObject = { metadata: {}, spec: {}, status: {} };
  for (const f of fields) {
    if (f.num === 1) o.metadata = decodeObjectMeta(msg(f));
    else if (f.num === 2) {
      const spec: JsonObject = {};
      for (const s of msg(f)) if (s.num === 1) pushStr(spec, 'finalizers', str(s));
      o.spec = spec;
    } else if (f.num === 3) {
      const status: JsonObject = {};
      for (const s of msg(f)) if (s.num === 1) putStr(status, 'phase', str(s));
      o.status = status;
    }
  }
  return o;
}

export function decodeConfigMap(fields: Field[]): JsonObject {
  const o: JsonObject = { metadata: {} };
  for (const f of fields) {
    switch (f.num) {
      case 1: o.metadata = decodeObjectMeta(msg(f)); break;
      case 2: putMapStr(o, 'data', f); break;
      case 3: putMapBytes(o, 'binaryData', f); break;
      case 4: o.immutable = bool(f); break;
    }
  }
  return o;
}

export function decodeSecret(fields: Field[]): JsonObject {
  const o: JsonObject = { metadata: {} };
  for (const f of fields) {
    switch (f.num) {
      case 1: o.metadata = decodeObjectMeta(msg(f)); break;
      case 2: putMapBytes(o, 'data', f); break;
      case 3: putStr(o, 'type', str(f)); break;
      case 4: putMapStr(o, 'stringData', f); break;
      case 5: o.immutable = bool(f); break;
    }
  }
  return o;
}

function decodeServicePort(fields: Field[]): JsonObject {
  // `port` is the only ServicePort field without omitempty.
  const o: JsonObject = { port: 0 };
  for (const f of fields) {
    switch (f.num) {
      case 1: putStr(o, 'name', str(f)); break;
      case 2: putStr(o, 'protocol', str(f)); break;
      case 3: o.port = int(f); break;
      case 4: {
        // An int 0 target is what an absent JSON targetPort decodes to; leaving it out lets
        // defaulting copy `port` exactly as it would for the JSON body.
        const t = decodeIntOrString(msg(f));
        if (t !== 0) o.targetPort = t;
        break;
      }
      case 5: putNum(o, 'nodePort', int(f)); break;
      case 6: o.appProtocol = str(f); break;
    }
  }
  return o;
}

function decodeSessionAffinityConfig(fields: Field[]): JsonObject {
  const o: JsonObject = {};
  for (const f of fields) {
    if (f.num !== 1) continue;
    const clientIP: JsonObject = {};
    for (const c of msg(f)) if (c.num === 1) clientIP.timeoutSeconds = int(c);
    o.clientIP = clientIP;
  }
  return o;
}

export function decodeServiceSpec(fields: Field[]): JsonObject {
  const o: JsonObject = {};
  for (const f of fields) {
    switch (f.num) {
      case 1: ((o.ports ??= []) as JsonObject[]).push(decodeServicePort(msg(f))); break;
      case 2: putMapStr(o, 'selector', f); break;
      case 3: putStr(o, 'clusterIP', str(f)); break;
      case 4: putStr(o, 'type', str(f)); break;
      case 5: pushStr(o, 'externalIPs', str(f)); break;
      case 7: putStr(o, 'sessionAffinity', str(f)); break;
      case 8: putStr(o, 'loadBalancerIP', str(f)); break;
      case 9: pushStr(o, 'loadBalancerSourceRanges', str(f)); break;
      case 10: putStr(o, 'externalName', str(f)); break;
      case 11: putStr(o, 'externalTrafficPolicy', str(f)); break;
      case 12: putNum(o, 'healthCheckNodePort', int(f)); break;
      case 13: if (bool(f)) o.publishNotReadyAddresses = true; break;
      case 14: o.sessionAffinityConfig = decodeSessionAffinityConfig(msg(f)); break;
      // Pointer fields below: present on the wire means set, even when empty/false.
      case 17: o.ipFamilyPolicy = str(f); break;
      case 18: pushStr(o, 'clusterIPs', str(f)); break;
      case 19: pushStr(o, 'ipFamilies', str(f)); break;
      case 20: o.allocateLoadBalancerNodePorts = bool(f); break;
      case 21: o.loadBalancerClass = str(f); break;
      case 22: o.internalTrafficPolicy = str(f); break;
      case 23: o.trafficDistribution = str(f); break;
    }
  }
  return o;
}

export function decodeService(fields: Field[]): JsonObject {
  // ServiceStatus.loadBalancer is a struct, so the JSON form always has `loadBalancer: {}`;
  // a client-sent status is discarded on create anyway, so its contents are not decoded.
  const o: JsonObject = { metadata: {}, spec: {}, status: { loadBalancer: {} } };
  for (const f of fields) {
    if (f.num === 1) o.metadata = decodeObjectMeta(msg(f));
    else if (f.num === 2) o.spec = decodeServiceSpec(msg(f));
  }
  return o;
}

export function decodeServiceAccount(fields: Field[]): JsonObject {
  const o: JsonObject = { metadata: {} };
  for (const f of fields) {
    switch (f.num) {
      case 1: o.metadata = decodeObjectMeta(msg(f)); break;
      case 2: ((o.secrets ??= []) as JsonObject[]).push(decodeObjectReference(msg(f))); break;
      case 3: {
        const ref: JsonObject = {};
        for (const r of msg(f)) if (r.num === 1) putStr(ref, 'name', str(r));
        ((o.imagePullSecrets ??= []) as JsonObject[]).push(ref);
        break;
      }
      case 4: o.automountServiceAccountToken = bool(f); break;
    }
  }
  return o;
}

function decodeObjectReference(fields: Field[]): JsonObject {
  const names = ['', 'kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];
  const o: JsonObject = {};
  for (const f of fields) {
    const key = names[f.num];
    if (key) putStr(o, key, str(f));
  }
  return o;
}
