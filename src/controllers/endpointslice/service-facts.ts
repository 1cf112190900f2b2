// What both endpoint controllers read from a Service: its selector, whether it is headless,
// its ports and address families, and how a service port resolves on a given pod
// (upstream FindPort).

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { objects, specOf, str } from './object-fields.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

export interface ServicePort {
  name: string;
  protocol: string;
  port: number;
  targetPort: number | string;
  appProtocol?: string;
}

/**
 * The selector, or undefined for a Service the controllers leave alone. An empty selector
 * counts as none: upstream's storage drops empty maps, so `selector: {}` reads back as nil.
 */
export function serviceSelector(svc: KObject): Record<string, string> | undefined {
  const sel = specOf(svc).selector;
  if (!isPlainObject(sel) || Object.keys(sel).length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) out[k] = String(v);
  return out;
}

/** Services the controllers publish endpoints for: a selector, and not an ExternalName alias. */
export function isManagedService(svc: KObject): boolean {
  return specOf(svc).type !== 'ExternalName' && serviceSelector(svc) !== undefined;
}

export function clusterIP(svc: KObject): string {
  return str(specOf(svc).clusterIP);
}

/** Upstream IsServiceIPSet: a real cluster IP, neither empty nor None. */
export function isServiceIPSet(svc: KObject): boolean {
  const ip = clusterIP(svc);
  return ip !== '' && ip !== 'None';
}

export function publishNotReadyAddresses(svc: KObject): boolean {
  return specOf(svc).publishNotReadyAddresses === true;
}

export function servicePorts(svc: KObject): ServicePort[] {
  return objects(specOf(svc).ports).map((p) => {
    const port = typeof p.port === 'number' ? p.port : Number(p.port ?? 0);
    const target = p.targetPort;
    const out: ServicePort = {
      name: str(p.name),
      protocol: str(p.protocol) || 'TCP',
      port,
      targetPort: typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : port,
    };
    if (str(p.appProtocol)) out.appProtocol = str(p.appProtocol);
    return out;
  });
}

/** Whether the Service's selector picks this pod (same namespace, every pair matches). */
export function selectsPod(svc: KObject, pod: KObject): boolean {
  const sel = serviceSelector(svc);
  if (!sel || svc.metadata.namespace !== pod.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(sel).every(([k, v]) => Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v);
}

export type AddressType = 'IPv4' | 'IPv6';

/**
 * The address types the Service's slices carry: its ipFamilies; without them (an old server)
 * the cluster IP's family, and for a headless Service both.
 */
export function addressTypesFor(svc: KObject): AddressType[] {
  const families = Array.isArray(specOf(svc).ipFamilies) ? (specOf(svc).ipFamilies as unknown[]) : [];
  const types = new Set<AddressType>();
  for (const f of families) {
    if (f === 'IPv4') types.add('IPv4');
    if (f === 'IPv6') types.add('IPv6');
  }
  if (types.size) return [...types];
  if (isServiceIPSet(svc)) return [clusterIP(svc).includes(':') ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

function containerPorts(container: JsonObject): JsonObject[] {
  return objects(container.ports);
}

/**
 * The pod's port number for a service port: a number is taken as is; a name is looked up
 * among the containers' ports (and those of sidecar init containers) with the same protocol.
 * Undefined when the pod has no such port.
 */
export function findPort(pod: KObject, sp: ServicePort): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  const name = sp.targetPort;
  const spec = specOf(pod);
  const candidates = [
    ...objects(spec.containers),
    ...objects(spec.initContainers).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of candidates) {
    for (const p of containerPorts(c)) {
      if (p.name === name && (str(p.protocol) || 'TCP') === sp.protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}
