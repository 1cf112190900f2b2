// core/v1 ContainerStatus from a container record, as the kubelet's convertToAPIContainerStatuses
// reports it: state (waiting/running/terminated), lastState, ready, started, restartCount,
// image, imageID, containerID and the mounts.

import { isPlainObject, type JsonObject } from '../../../api/object.js';
import type { ContainerState } from '../../runtime/types.js';
import { restartCount, type ContainerRecord } from '../container-record.js';
import { imageID, normalizeImage } from './image-names.js';

type J = JsonObject;

/** metav1.Time: RFC 3339 to the second. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminated(s: ContainerState & { state: 'exited' }, scheme: string): J {
  const t: J = {
    containerID: `${scheme}://${s.containerId}`,
    exitCode: s.exitCode,
    finishedAt: timestamp(s.finishedAt),
    reason: s.reason,
    startedAt: timestamp(s.startedAt),
  };
  if (s.signal) t.signal = s.signal;
  return t;
}

export function stateJson(r: ContainerRecord, defaultWaiting: string, scheme: string): J {
  if (r.waiting) return { waiting: r.waiting.message ? { reason: r.waiting.reason, message: r.waiting.message } : { reason: r.waiting.reason } };
  const s = r.state;
  if (!s) return { waiting: { reason: defaultWaiting } };
  if (s.state === 'running') return { running: { startedAt: timestamp(s.startedAt) } };
  return { terminated: terminated(s, scheme) };
}

function statusMounts(spec: J): J[] | undefined {
  const vms = Array.isArray(spec.volumeMounts) ? spec.volumeMounts.filter(isPlainObject) : [];
  if (!vms.length) return undefined;
  return vms.map((vm) => {
    const out: J = { mountPath: vm.mountPath, name: vm.name };
    if (vm.readOnly === true) {
      out.readOnly = true;
      out.recursiveReadOnly = 'Disabled';
    }
    return out;
  });
}

export function containerStatus(spec: J, r: ContainerRecord | undefined, defaultWaiting: string, scheme: string): J {
  const image = normalizeImage(String(spec.image ?? ''));
  const rec: ContainerRecord = r ?? { name: String(spec.name), init: false, sidecar: false, attempt: -1, nextAttempt: 0, carriedRestartCount: 0, started: false, ready: false };
  const out: J = {
    name: spec.name,
    state: stateJson(rec, defaultWaiting, scheme),
    lastState: rec.lastTerminated ? { terminated: terminated(rec.lastTerminated, scheme) } : {},
    ready: rec.ready,
    restartCount: restartCount(rec),
    image,
    imageID: rec.state || rec.lastTerminated ? imageID(image) : '',
    started: rec.started,
  };
  const id = rec.state?.containerId ?? rec.lastTerminated?.containerId;
  if (id) out.containerID = `${scheme}://${id}`;
  const resources = isPlainObject(spec.resources) ? spec.resources : undefined;
  if (resources && (isPlainObject(resources.limits) || isPlainObject(resources.requests)) && rec.state) out.resources = resources;
  const mounts = statusMounts(spec);
  if (mounts) out.volumeMounts = mounts;
  return out;
}
