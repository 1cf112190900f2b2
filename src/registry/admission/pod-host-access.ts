// ordinal runs pods as host processes inside their own namespaces; sharing the host's network
// or running privileged would hand a pod the machine itself. Such pods are refused at the
// API, as a PodSecurity "restricted" admission would refuse them, with a Forbidden error.

import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { AdmissionPlugin } from './types.js';

interface ContainerLike {
  name?: string;
  securityContext?: { privileged?: boolean };
}

function violations(pod: KObject): string[] {
  const spec = (pod.spec ?? {}) as { hostNetwork?: boolean; initContainers?: ContainerLike[]; containers?: ContainerLike[]; ephemeralContainers?: ContainerLike[] };
  const out: string[] = [];
  if (spec.hostNetwork === true) out.push('hostNetwork=true');
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const privileged = all.filter((c) => c.securityContext?.privileged === true).map((c) => `"${c.name}"`);
  if (privileged.length) {
    out.push(`privileged (container${privileged.length > 1 ? 's' : ''} ${privileged.join(', ')} must not set securityContext.privileged=true)`);
  }
  return out;
}

export const podHostAccess: AdmissionPlugin = {
  name: 'PodHostAccess',
  handles: (info) => info.group === '' && info.plural === 'pods',
  admit({ obj }) {
    const v = violations(obj);
    if (!v.length) return;
    const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
    throw new StatusError(403, 'Forbidden', `pods "${name}" is forbidden: ordinal runs pods as processes on this machine and does not allow: ${v.join(', ')}`, {
      name,
      kind: 'pods',
    });
  },
};
