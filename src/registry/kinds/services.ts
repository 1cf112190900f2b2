// Service (core/v1): defaults, cluster-IP and node-port allocation, validation.
// Upstream spreads this over SetDefaults_Service, the service strategy and the service REST
// storage's allocation hooks; here it is one strategy.

import type { KObject, JsonObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { FieldPath, invalid, type FieldError } from '../../api/field-errors.js';
import type { Strategy, StrategyContext } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNS1035Label } from '../validation/metadata.js';
import { ensureObject, stringAt, arrayAt } from '../validation/core-values.js';
import { validateServiceSpec, validateClusterIPsUpdate, clusterIPsOf, NODE_PORT_RANGE } from '../validation/service-validation.js';
import { allocateClusterIP, checkRequestedIP, requestedIPError, DEFAULT_SERVICE_CIDR } from '../cluster-ip-allocator.js';

const META = FieldPath.root('metadata');

function specOf(svc: KObject): JsonObject {
  return ensureObject(svc, 'spec');
}

const needsClusterIP = (svc: KObject) => stringAt(svc.spec, 'type') !== 'ExternalName';
const needsNodePort = (svc: KObject) => ['NodePort', 'LoadBalancer'].includes(stringAt(svc.spec, 'type'));

function defaultService(svc: KObject): void {
  const spec = specOf(svc);
  if (!spec.type) spec.type = 'ClusterIP';
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const config = ensureObject(spec, 'sessionAffinityConfig');
    const clientIP = ensureObject(config, 'clientIP');
    if (clientIP.timeoutSeconds == null) clientIP.timeoutSeconds = 10800;
  }
  for (const p of arrayAt(spec, 'ports')) {
    if (!isPlainObject(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  if ((type === 'NodePort' || type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
}

/** clusterIP is the user's handle, clusterIPs the truth; keep them in step on create. */
function syncClusterIPsOnCreate(spec: JsonObject): void {
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (!ips.length && typeof spec.clusterIP === 'string' && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  else if (ips.length && !spec.clusterIP) spec.clusterIP = ips[0];
}

function setFamilies(spec: JsonObject): void {
  if (spec.ipFamilyPolicy == null) spec.ipFamilyPolicy = 'SingleStack';
  if (!Array.isArray(spec.ipFamilies) || !spec.ipFamilies.length) spec.ipFamilies = ['IPv4'];
}

function allocateIPs(svc: KObject, ctx: StrategyContext): void {
  const spec = specOf(svc);
  if (!needsClusterIP(svc)) return;
  if (!spec.clusterIP) {
    const ip = allocateClusterIP(ctx.serviceCIDR || DEFAULT_SERVICE_CIDR, ctx.usedClusterIPs());
    if (ip) {
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
  }
  setFamilies(spec);
}

function usedNodePorts(svc: KObject): Set<number> {
  const used = new Set<number>();
  for (const p of arrayAt(svc.spec, 'ports')) if (isPlainObject(p) && typeof p.nodePort === 'number') used.add(p.nodePort);
  return used;
}

/**
 * Node ports are drawn at random from the range; collisions with other Services are not
 * tracked (the context only knows cluster IPs), which over 2768 ports is rare.
 */
function allocateNodePorts(svc: KObject): void {
  if (!needsNodePort(svc)) return;
  if (stringAt(svc.spec, 'type') === 'LoadBalancer' && specOf(svc).allocateLoadBalancerNodePorts === false) return;
  const used = usedNodePorts(svc);
  const [lo, hi] = NODE_PORT_RANGE;
  for (const p of arrayAt(svc.spec, 'ports')) {
    if (!isPlainObject(p) || p.nodePort) continue;
    let port: number;
    do port = lo + Math.floor(Math.random() * (hi - lo + 1));
    while (used.has(port));
    used.add(port);
    p.nodePort = port;
  }
}

/** Carries allocated values the client left out (patchAllocatedValues upstream). */
function carryAllocated(svc: KObject, old: KObject): void {
  const spec = specOf(svc);
  const oldSpec = isPlainObject(old.spec) ? old.spec : {};
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!arrayAt(spec, 'clusterIPs').length && arrayAt(oldSpec, 'clusterIPs').length) spec.clusterIPs = structuredClone(oldSpec.clusterIPs);
    if (spec.ipFamilyPolicy == null && oldSpec.ipFamilyPolicy != null) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
    if (!arrayAt(spec, 'ipFamilies').length && arrayAt(oldSpec, 'ipFamilies').length) spec.ipFamilies = structuredClone(oldSpec.ipFamilies);
  }
  if (needsNodePort(svc) && needsNodePort(old)) {
    const oldPorts = arrayAt(oldSpec, 'ports').filter(isPlainObject);
    for (const p of arrayAt(spec, 'ports')) {
      if (!isPlainObject(p) || p.nodePort) continue;
      const match = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (match?.nodePort) p.nodePort = match.nodePort;
    }
  }
}

/** Update-time clusterIP/clusterIPs reconciliation (normalizeClusterIPs upstream). */
function syncClusterIPsOnUpdate(spec: JsonObject, oldSpec: JsonObject): void {
  const ips = arrayAt(spec, 'clusterIPs');
  const oldIPs = arrayAt(oldSpec, 'clusterIPs');
  if (oldSpec.clusterIP && !spec.clusterIP) {
    // Clearing clusterIP clears clusterIPs when the client left them as they were.
    if (JSON.stringify(ips) === JSON.stringify(oldIPs)) delete spec.clusterIPs;
    return;
  }
  const sameIPs = JSON.stringify(ips) === JSON.stringify(oldIPs);
  if (spec.clusterIP !== oldSpec.clusterIP && sameIPs && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  else if (!ips.length && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
}

/** Moving to ExternalName drops the fields that only apply to IP-backed types. */
function dropTypeDependentFields(svc: KObject, old: KObject): void {
  const spec = specOf(svc);
  const oldSpec = isPlainObject(old.spec) ? old.spec : {};
  if (spec.type === 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (spec.clusterIP === oldSpec.clusterIP) delete spec.clusterIP;
    if (JSON.stringify(spec.clusterIPs) === JSON.stringify(oldSpec.clusterIPs)) delete spec.clusterIPs;
    if (JSON.stringify(spec.ipFamilies) === JSON.stringify(oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    delete spec.internalTrafficPolicy;
  }
  if (!needsNodePort(svc) && needsNodePort(old)) {
    for (const p of arrayAt(spec, 'ports')) {
      const op = arrayAt(oldSpec, 'ports').find((o) => isPlainObject(o) && isPlainObject(p) && o.port === p.port);
      if (isPlainObject(p) && isPlainObject(op) && p.nodePort === op.nodePort) delete p.nodePort;
    }
    if (spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  }
}

/** Allocation failures for requested IPs (range, already used), reported on spec.clusterIPs. */
function allocationErrors(svc: KObject, ctx: StrategyContext, used: Set<string>): FieldError[] {
  if (!needsClusterIP(svc)) return [];
  const ips = clusterIPsOf(svc);
  if (!ips.length) return [invalid(FieldPath.root('spec').child('clusterIPs'), ips, 'failed to allocate a serviceIP: range is full')];
  for (const ip of ips) {
    if (ip === 'None') continue;
    const check = checkRequestedIP(ip, ctx.serviceCIDR || DEFAULT_SERVICE_CIDR, used);
    if (!check.ok) return [invalid(FieldPath.root('spec').child('clusterIPs'), ips, requestedIPError(ip, check.detail))];
  }
  return [];
}

function validateFamiliesForSingleStack(svc: KObject): FieldError[] {
  if (!needsClusterIP(svc)) return [];
  const spec = specOf(svc);
  const errs: FieldError[] = [];
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    errs.push(invalid(FieldPath.root('spec').child('ipFamilyPolicy'), spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  arrayAt(spec, 'ipFamilies').forEach((f, i) => {
    if (f === 'IPv6') errs.push(invalid(FieldPath.root('spec').child('ipFamilies').index(i), f, 'not configured on this cluster'));
  });
  return errs;
}

export const serviceStrategy: Strategy = {
  hasStatusSubresource: true,
  defaults: defaultService,
  prepareForCreate(obj, ctx) {
    obj.status = { loadBalancer: {} };
    const spec = specOf(obj);
    syncClusterIPsOnCreate(spec);
    allocateIPs(obj, ctx);
    allocateNodePorts(obj);
  },
  prepareForUpdate(obj, old, ctx) {
    dropTypeDependentFields(obj, old);
    carryAllocated(obj, old);
    syncClusterIPsOnUpdate(specOf(obj), isPlainObject(old.spec) ? old.spec : {});
    // A change from ExternalName to an IP-backed type needs fresh allocations.
    if (needsClusterIP(obj) && !needsClusterIP(old)) {
      syncClusterIPsOnCreate(specOf(obj));
      allocateIPs(obj, ctx);
    }
    allocateNodePorts(obj);
  },
  validate(obj, ctx) {
    const errs = [...validateObjectMeta(obj.metadata, true, nameIsDNS1035Label, META), ...validateServiceSpec(obj)];
    if (errs.length) return errs;
    const more = validateFamiliesForSingleStack(obj);
    return more.length ? more : allocationErrors(obj, ctx, ctx.usedClusterIPs());
  },
  validateUpdate(obj, old, ctx) {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateClusterIPsUpdate(obj, old), ...validateServiceSpec(obj)];
    if (errs.length) return errs;
    // Only addresses new to this Service are checked against the range and the used set.
    if (needsClusterIP(obj) && !needsClusterIP(old)) {
      const more = validateFamiliesForSingleStack(obj);
      if (more.length) return more;
      const used = new Set(ctx.usedClusterIPs());
      for (const ip of clusterIPsOf(old)) used.delete(ip);
      return allocationErrors(obj, ctx, used);
    }
    return [];
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, META);
    const ingress = arrayAt((obj.status as JsonObject | undefined)?.loadBalancer, 'ingress');
    ingress.forEach((ing, i) => {
      const ip = stringAt(ing, 'ip');
      if (ip && !/^[0-9a-fA-F:.]+$/.test(ip)) {
        errs.push(invalid(FieldPath.root('status').child('loadBalancer', 'ingress').index(i).child('ip'), ip, 'must be a valid IP address'));
      }
    });
    return errs;
  },
  fieldSelectorFields(obj) {
    return { 'spec.clusterIP': stringAt(obj.spec, 'clusterIP'), 'spec.type': stringAt(obj.spec, 'type') };
  },
};
