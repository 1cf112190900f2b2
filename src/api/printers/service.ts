// Service rows: type, first cluster IP, external addresses by type, and ports as 80/TCP or 80:30080/TCP.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, wide, type Printer } from './columns.js';
import { arr, at, formatLabels, num, obj, str } from './fields.js';

const LOAD_BALANCER_WIDTH = 16;

const columns = [
  nameColumn(),
  column('Type', 'How the service is exposed (ClusterIP, NodePort, LoadBalancer, ExternalName).'),
  column('Cluster-IP', 'The virtual IP of the service inside the cluster.'),
  column('External-IP', 'Addresses on which the service is reachable from outside the cluster.'),
  column('Port(s)', 'The ports the service exposes.'),
  ageColumn(),
  wide('Selector', 'The label selector that picks the service\'s pods.'),
];

function loadBalancerIngress(svc: KObject, isWide: boolean): string {
  const seen = new Set<string>();
  for (const ing of arr(at(svc.status, 'loadBalancer', 'ingress')).map(obj)) {
    const v = str(ing.ip) || str(ing.hostname);
    if (v) seen.add(v);
  }
  const joined = [...seen].sort().join(',');
  if (!isWide && joined.length > LOAD_BALANCER_WIDTH) return joined.slice(0, LOAD_BALANCER_WIDTH - 3) + '...';
  return joined;
}

export function externalIP(svc: KObject, type: string, isWide = true): string {
  const spec = obj(svc.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc, isWide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
  }
  return '<unknown>';
}

export function portString(ports: unknown): string {
  return arr(ports)
    .map(obj)
    .map((p) => {
      const protocol = str(p.protocol) || 'TCP';
      const nodePort = num(p.nodePort);
      return nodePort > 0 ? `${num(p.port)}:${nodePort}/${protocol}` : `${num(p.port)}/${protocol}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns,
  print(svc: KObject, now: Date) {
    const spec = obj(svc.spec);
    // Defaulting always sets type; a bare stored object still prints like upstream would.
    const type = str(spec.type) || 'ClusterIP';
    const clusterIPs = arr(spec.clusterIPs).map(str);
    const clusterIP = clusterIPs[0] || str(spec.clusterIP) || '<none>';
    const ports = portString(spec.ports) || '<none>';
    // The apiserver always prints with Wide, so the load balancer list is never clipped.
    return { cells: [nameOf(svc), type, clusterIP, externalIP(svc, type, true), ports, age(svc, now), formatLabels(spec.selector)] };
  },
};
