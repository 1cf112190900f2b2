// Endpoints (core/v1): subsets of addresses and ports.

import { isPlainObject, type KObject } from '../../api/object.js';
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { arrayAt, isValidIP, isValidPortNum, stringAt, validateDNS1123Label } from '../validation/core-values.js';

const META = FieldPath.root('metadata');
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(addr: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ip = stringAt(addr, 'ip');
  for (const m of isValidIP(ip)) errs.push(invalid(path.child('ip'), ip, m));
  const hostname = stringAt(addr, 'hostname');
  if (hostname) errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const nodeName = stringAt(addr, 'nodeName');
  if (nodeName) for (const m of nameIsDNSSubdomain(nodeName, false)) errs.push(invalid(path.child('nodeName'), nodeName, m));
  return errs;
}

function validatePort(port: unknown, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const p = isPlainObject(port) ? port : {};
  const name = stringAt(p, 'name');
  if (requireName && !name) errs.push(required(path.child('name')));
  else if (name) errs.push(...validateDNS1123Label(name, path.child('name')));
  for (const m of isValidPortNum(p.port)) errs.push(invalid(path.child('port'), p.port ?? 0, m));
  const protocol = stringAt(p, 'protocol');
  if (!protocol) errs.push(required(path.child('protocol')));
  else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, PROTOCOLS));
  return errs;
}

function validateSubsets(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(obj, 'subsets').forEach((subset, i) => {
    const path = FieldPath.root('subsets').index(i);
    const addrs = arrayAt(subset, 'addresses');
    const notReady = arrayAt(subset, 'notReadyAddresses');
    if (!addrs.length && !notReady.length) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, path.child('addresses').index(j))));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, path.child('notReadyAddresses').index(j))));
    const ports = arrayAt(subset, 'ports');
    ports.forEach((p, j) => errs.push(...validatePort(p, ports.length > 1, path.child('ports').index(j))));
  });
  return errs;
}

export const endpointsStrategy: Strategy = {
  defaults(obj) {
    for (const subset of arrayAt(obj, 'subsets')) {
      for (const p of arrayAt(subset, 'ports')) if (isPlainObject(p) && !p.protocol) p.protocol = 'TCP';
    }
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META), ...validateSubsets(obj)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateSubsets(obj)];
  },
};
