// Service links: the `{SVC}_SERVICE_HOST`-style variables every container gets for the
// Services of its namespace (upstream's envvars.FromServices), plus the `kubernetes` Service
// of the default namespace whatever enableServiceLinks says.

import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';

type J = JsonObject;

const envName = (name: string) => name.toUpperCase().replace(/-/g, '_');

function hasClusterIP(svc: KObject): boolean {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  return ip !== '' && ip !== 'None';
}

/** The variables for one Service, in the order upstream emits them. */
export function serviceEnv(svc: KObject): [string, string][] {
  const spec = svc.spec as J;
  const ip = String(spec.clusterIP);
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isPlainObject) as J[];
  const name = envName(svc.metadata.name ?? '');
  const out: [string, string][] = [[`${name}_SERVICE_HOST`, ip]];
  if (ports.length === 0) return out;
  out.push([`${name}_SERVICE_PORT`, String(ports[0]!.port)]);
  for (const p of ports) if (typeof p.name === 'string' && p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  // Docker-links compatible variables.
  const proto = (p: J) => (typeof p.protocol === 'string' ? p.protocol : 'TCP');
  const first = ports[0]!;
  out.push([`${name}_PORT`, `${proto(first).toLowerCase()}://${ip}:${first.port}`]);
  for (const p of ports) {
    const prefix = `${name}_PORT_${p.port}_${proto(p).toUpperCase()}`;
    out.push([prefix, `${proto(p).toLowerCase()}://${ip}:${p.port}`]);
    out.push([`${prefix}_PROTO`, proto(p).toLowerCase()]);
    out.push([`${prefix}_PORT`, String(p.port)]);
    out.push([`${prefix}_ADDR`, ip]);
  }
  return out;
}

/** The service variables a pod in `namespace` sees, as a map (upstream's getServiceEnvVarMap). */
export function serviceEnvMap(services: KObject[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, KObject>();
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata.name ?? '';
    if (svc.metadata.namespace === 'default' && name === 'kubernetes') {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const out = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) for (const [k, v] of serviceEnv(chosen.get(name)!)) out.set(k, v);
  return out;
}
