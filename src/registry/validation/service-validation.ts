// Service spec validation (pkg/apis/core/validation ValidateService / ValidateServiceUpdate),
// on the defaulted, normalized object. Cluster-IP allocation failures are separate
// (see services.ts) because upstream reports them only after validation passes.

import type { KObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { validateLabels } from './metadata.js';
import { arrayAt, isIPv4, isIPv6, isValidIP, isValidPortNum, objectAt, stringAt, validateDNS1123Label, validateDNS1123Subdomain, validatePortNumOrName } from './core-values.js';

const SPEC = FieldPath.root('spec');
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const FAMILIES = ['IPv4', 'IPv6'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

export function clusterIPsOf(svc: KObject): string[] {
  return arrayAt(svc.spec, 'clusterIPs').filter((v): v is string => typeof v === 'string');
}

export function isHeadless(svc: KObject): boolean {
  const ips = clusterIPsOf(svc);
  return ips.length === 1 && ips[0] === 'None';
}

function validatePorts(spec: Record<string, unknown>, headless: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ports = arrayAt(spec, 'ports');
  const type = stringAt(spec, 'type');
  const portsPath = SPEC.child('ports');
  if (!ports.length && !headless && type !== 'ExternalName') errs.push(required(portsPath));
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((raw, i) => {
    const p = isPlainObject(raw) ? raw : {};
    const path = portsPath.index(i);
    const name = stringAt(p, 'name');
    if (ports.length > 1 && !name) errs.push(required(path.child('name')));
    else if (name) {
      errs.push(...validateDNS1123Label(name, path.child('name')));
      if (names.has(name)) errs.push(duplicate(path.child('name'), name));
      names.add(name);
    }
    for (const m of isValidPortNum(p.port)) errs.push(invalid(path.child('port'), p.port ?? 0, m));
    const protocol = stringAt(p, 'protocol');
    if (!protocol) errs.push(required(path.child('protocol')));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, PROTOCOLS));
    if (p.targetPort !== undefined) errs.push(...validatePortNumOrName(p.targetPort, path.child('targetPort')));
    const nodePort = typeof p.nodePort === 'number' ? p.nodePort : 0;
    if (nodePort) {
      if (type === 'ClusterIP') errs.push(forbidden(path.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
      else if (nodePort < NODE_PORT_RANGE[0] || nodePort > NODE_PORT_RANGE[1]) {
        errs.push(
          invalid(path.child('nodePort'), nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`),
        );
      }
      const key = `${protocol}/${nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(path.child('nodePort'), nodePort));
      nodePorts.add(key);
    }
    const key = `${protocol}/${p.port}`;
    if (seen.has(key)) errs.push(duplicate(path, { protocol, port: p.port }));
    seen.add(key);
  });
  return errs;
}

function validateTypeRules(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringAt(spec, 'type');
  const clusterIP = stringAt(spec, 'clusterIP');
  if (!type) errs.push(required(SPEC.child('type')));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported(SPEC.child('type'), type, SERVICE_TYPES));
  if ((type === 'NodePort' || type === 'LoadBalancer') && clusterIP === 'None') {
    errs.push(invalid(SPEC.child('clusterIP'), clusterIP, `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (arrayAt(spec, 'clusterIPs').length) errs.push(forbidden(SPEC.child('clusterIPs'), 'may not be set for ExternalName services'));
    if (arrayAt(spec, 'ipFamilies').length) errs.push(forbidden(SPEC.child('ipFamilies'), 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null) errs.push(forbidden(SPEC.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
    // A CNAME may carry a trailing dot to mark it fully qualified.
    const cname = stringAt(spec, 'externalName').replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, SPEC.child('externalName')));
    else errs.push(required(SPEC.child('externalName')));
  }
  const etp = stringAt(spec, 'externalTrafficPolicy');
  if (etp) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(invalid(SPEC.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
    } else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(notSupported(SPEC.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  }
  const itp = spec.internalTrafficPolicy;
  if (typeof itp === 'string' && !TRAFFIC_POLICIES.includes(itp)) errs.push(notSupported(SPEC.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  return errs;
}

function validateAffinity(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const affinity = stringAt(spec, 'sessionAffinity');
  if (!affinity) errs.push(required(SPEC.child('sessionAffinity')));
  else if (!AFFINITIES.includes(affinity)) errs.push(notSupported(SPEC.child('sessionAffinity'), affinity, AFFINITIES));
  const config = objectAt(spec, 'sessionAffinityConfig');
  if (affinity === 'None' && config) errs.push(forbidden(SPEC.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  if (affinity === 'ClientIP') {
    const timeout = objectAt(config, 'clientIP')?.timeoutSeconds;
    if (typeof timeout === 'number' && (timeout <= 0 || timeout > 86400)) {
      errs.push(invalid(SPEC.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'), timeout, 'must be greater than 0 and less than 86400'));
    }
  }
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families, policy. */
function validateClusterIPs(spec: Record<string, unknown>, svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (stringAt(spec, 'type') === 'ExternalName') return errs;
  const path = SPEC.child('clusterIPs');
  const clusterIP = stringAt(spec, 'clusterIP');
  const ips = clusterIPsOf(svc);
  if (clusterIP) {
    if (!ips.length) errs.push(required(path));
    else if (ips[0] !== clusterIP) errs.push(invalid(path, ips, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(invalid(path, ips, 'must be empty when `clusterIP` is not specified'));
  const families = arrayAt(spec, 'ipFamilies');
  const seen = new Set<unknown>();
  families.forEach((f, i) => {
    if (typeof f !== 'string' || !FAMILIES.includes(f)) errs.push(notSupported(SPEC.child('ipFamilies').index(i), f, FAMILIES));
    if (seen.has(f)) errs.push(duplicate(SPEC.child('ipFamilies').index(i), f));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy != null && (typeof policy !== 'string' || !FAMILY_POLICIES.includes(policy))) {
    errs.push(notSupported(SPEC.child('ipFamilyPolicy'), policy, FAMILY_POLICIES));
  }
  let badIP = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIP = true;
        errs.push(invalid(path, ips, "'None' must be the first and only value"));
      }
      return;
    }
    for (const m of isValidIP(ip)) {
      badIP = true;
      errs.push(invalid(path.index(i), ip, m));
    }
  });
  if (ips.length > 2) errs.push(invalid(path, ips, 'may only hold up to 2 values'));
  if (badIP) return errs;
  if (ips.length > 1 && isIPv4(ips[0]) === isIPv4(ips[1])) errs.push(invalid(path, ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(svc)) {
    ips.forEach((ip, i) => {
      if (families[i] === 'IPv4' && isIPv6(ip)) errs.push(invalid(path.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6(ip)) errs.push(invalid(path.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

/** The spec rules shared by create and update. */
export function validateServiceSpec(svc: KObject): FieldError[] {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  const headless = stringAt(spec, 'clusterIP') === 'None';
  const errs: FieldError[] = [];
  errs.push(...validateTypeRules(spec));
  errs.push(...validatePorts(spec, headless));
  if (isPlainObject(spec.selector)) errs.push(...validateLabels(spec.selector as Record<string, string>, SPEC.child('selector')));
  errs.push(...validateAffinity(spec));
  arrayAt(spec, 'externalIPs').forEach((ip, i) => {
    for (const m of isValidIP(String(ip))) errs.push(invalid(SPEC.child('externalIPs').index(i), ip, m));
  });
  errs.push(...validateClusterIPs(spec, svc));
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes once set. */
export function validateClusterIPsUpdate(svc: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (stringAt(svc.spec, 'type') === 'ExternalName' || stringAt(old.spec, 'type') === 'ExternalName') return errs;
  if (isHeadless(svc) && isHeadless(old)) return errs;
  const ips = clusterIPsOf(svc);
  const oldIPs = clusterIPsOf(old);
  const path = SPEC.child('clusterIPs');
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(path.index(i), ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (!ips.length) errs.push(invalid(path.index(0), ips, 'primary clusterIP can not be unset'));
    else if (ips[0] !== oldIPs[0]) errs.push(invalid(path.index(0), ips, 'may not change once set'));
    if (ips.length === 1 && stringAt(svc.spec, 'ipFamilyPolicy') !== 'SingleStack') {
      errs.push(invalid(SPEC.child('ipFamilyPolicy'), svc.spec && (svc.spec as Record<string, unknown>).ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
    errs.push(invalid(path.index(0), ips, 'may not change once set'));
  }
  return errs;
}
