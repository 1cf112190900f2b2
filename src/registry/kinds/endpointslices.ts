// EndpointSlice (discovery.k8s.io/v1): address type, endpoints, ports.

import { isPlainObject, type KObject } from '../../api/object.js';
import { FieldPath, duplicate, invalid, notSupported, required, tooMany, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { arrayAt, isIPv4, isIPv6, isValidPortNum, stringAt, validateDNS1123Label, validateQualifiedName } from '../validation/core-values.js';
import { isDNS1123Subdomain, isDNS1123Label } from '../validation/metadata.js';

const META = FieldPath.root('metadata');
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ADDRESSES = 100;

function validateAddressValue(type: string, addr: string, path: FieldPath): FieldError[] {
  if (type === 'IPv4' && !isIPv4(addr)) return [invalid(path, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6' && !isIPv6(addr)) return [invalid(path, addr, 'must be a valid IPv6 address')];
  if (type === 'FQDN') return fqdnErrors(addr, path);
  return [];
}

/** IsFullyQualifiedDomainName: a subdomain of at least two labels, trailing dot allowed. */
function fqdnErrors(addr: string, path: FieldPath): FieldError[] {
  const name = addr.replace(/\.$/, '');
  if (!name) return [required(path)];
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [invalid(path, name, sub.join(','))];
  if (name.split('.').length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of name.split('.')) {
    const errs = isDNS1123Label(label);
    if (errs.length) return [invalid(path, label, errs.join(','))];
  }
  return [];
}

function validateEndpoints(obj: KObject, type: string): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(obj, 'endpoints').forEach((ep, i) => {
    const path = FieldPath.root('endpoints').index(i);
    const addrs = arrayAt(ep, 'addresses');
    const addrPath = path.child('addresses');
    if (!addrs.length) errs.push(required(addrPath, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(tooMany(addrPath, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => errs.push(...validateAddressValue(type, String(a), addrPath.index(j))));
    const hostname = stringAt(ep, 'hostname');
    if (hostname) errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
    const nodeName = stringAt(ep, 'nodeName');
    if (nodeName) for (const m of nameIsDNSSubdomain(nodeName, false)) errs.push(invalid(path.child('nodeName'), nodeName, m));
  });
  return errs;
}

function validatePorts(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arrayAt(obj, 'ports').forEach((raw, i) => {
    const p = isPlainObject(raw) ? raw : {};
    const path = FieldPath.root('ports').index(i);
    const name = stringAt(p, 'name');
    if (name) errs.push(...validateDNS1123Label(name, path.child('name')));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    names.add(name);
    const protocol = stringAt(p, 'protocol');
    if (!protocol) errs.push(required(path.child('protocol')));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, PROTOCOLS));
    if (p.port != null) for (const m of isValidPortNum(p.port)) errs.push(invalid(path.child('port'), p.port, m));
    const appProtocol = stringAt(p, 'appProtocol');
    if (appProtocol) errs.push(...validateQualifiedName(appProtocol, path.child('appProtocol')));
  });
  return errs;
}

function validateSlice(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringAt(obj, 'addressType');
  if (!type) errs.push(required(FieldPath.root('addressType')));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported(FieldPath.root('addressType'), type, ADDRESS_TYPES));
  return [...errs, ...validateEndpoints(obj, type), ...validatePorts(obj)];
}

export const endpointSliceStrategy: Strategy = {
  defaults(obj) {
    for (const p of arrayAt(obj, 'ports')) {
      if (!isPlainObject(p)) continue;
      if (!p.protocol) p.protocol = 'TCP';
      if (p.name == null) p.name = '';
    }
    for (const ep of arrayAt(obj, 'endpoints')) if (isPlainObject(ep) && !isPlainObject(ep.conditions)) ep.conditions = {};
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META), ...validateSlice(obj)];
  },
  validateUpdate(obj, old) {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateSlice(obj)];
    if (obj.addressType !== old.addressType) errs.push(invalid(FieldPath.root('addressType'), obj.addressType ?? '', 'field is immutable'));
    return errs;
  },
};
