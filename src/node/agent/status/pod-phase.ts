// The pod phase from its container statuses, as the kubelet's getPhase decides it: Pending
// while an init container or a main container is yet to run, Running while any runs, and once
// all have stopped, Succeeded/Failed by exit codes and restartPolicy (or because the pod is
// being torn down for good).

import { isPlainObject, type JsonObject } from '../../../api/object.js';

type J = JsonObject;
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const stateOf = (s: J | undefined): J => (s && isPlainObject(s.state) ? s.state : {});
const lastTerminated = (s: J): J | undefined => (isPlainObject(s.lastState) && isPlainObject(s.lastState.terminated) ? s.lastState.terminated : undefined);

export function podPhase(spec: J, initStatuses: J[], statuses: J[], podIsTerminal: boolean): PodPhase {
  const restartPolicy = typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always';
  const byName = (list: J[], name: unknown) => list.find((s) => s.name === name);
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of objects(spec.initContainers)) {
    const s = byName(initStatuses, c.name);
    const st = stateOf(s);
    if (c.restartPolicy === 'Always') {
      // A sidecar counts as initialized once it has started.
      if (!s || !(s.started === true)) pendingInit++;
      continue;
    }
    if (!s) pendingInit++;
    else if (isPlainObject(st.running)) pendingInit++;
    else if (isPlainObject(st.terminated)) {
      if (st.terminated.exitCode !== 0) failedInit++;
    } else if (isPlainObject(st.waiting)) {
      const last = lastTerminated(s);
      if (last) {
        if (last.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of objects(spec.containers)) {
    const s = byName(statuses, c.name);
    const st = stateOf(s);
    if (!s) unknown++;
    else if (isPlainObject(st.running)) running++;
    else if (isPlainObject(st.terminated)) {
      stopped++;
      if (st.terminated.exitCode === 0) succeeded++;
    } else if (isPlainObject(st.waiting)) {
      if (lastTerminated(s)) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return unknown === 0 ? 'Running' : 'Pending';
  if (stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
