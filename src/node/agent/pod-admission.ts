// What this node refuses to run. Pods share the machine's kernel with ordinal itself, so a
// pod may not join the host's network, PID or IPC namespaces nor run privileged: the pod is
// rejected as the kubelet rejects a pod it cannot admit (phase Failed, reason and message, a
// Warning event). The API server should refuse these at create time as well (PodSecurity
// "baseline"); this is the node's own line of defence.

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';

type J = JsonObject;
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export interface Refusal {
  reason: string;
  message: string;
}

export function admissionRefusal(pod: KObject): Refusal | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const problems: string[] = [];
  const hostNs = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => spec[f] === true);
  if (hostNs.length) problems.push(`host namespaces (${hostNs.map((f) => `${f}=true`).join(', ')})`);
  const privileged = [...objects(spec.initContainers), ...objects(spec.containers), ...objects(spec.ephemeralContainers)]
    .filter((c) => isPlainObject(c.securityContext) && c.securityContext.privileged === true)
    .map((c) => `"${String(c.name)}"`);
  if (privileged.length) {
    problems.push(`privileged (${privileged.length === 1 ? 'container' : 'containers'} ${privileged.join(', ')} must not set securityContext.privileged=true)`);
  }
  if (!problems.length) return undefined;
  return { reason: 'Forbidden', message: `Pod was rejected: this node does not run pods with ${problems.join(', ')}` };
}
