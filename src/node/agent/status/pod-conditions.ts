// The conditions the kubelet owns (PodReadyToStartContainers, Initialized, Ready,
// ContainersReady), in the order it reports them, with upstream's reasons and messages;
// transition times carry over while a condition's status stays the same. Conditions other
// components own (PodScheduled, readiness gates' own types) are kept as they are.

import { isPlainObject, type JsonObject } from '../../../api/object.js';
import type { PodPhase } from './pod-phase.js';

type J = JsonObject;
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

interface Cond {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function initialized(spec: J, initStatuses: J[], phase: PodPhase): Cond {
  const incomplete: string[] = [];
  for (const c of objects(spec.initContainers)) {
    const s = initStatuses.find((x) => x.name === c.name);
    const st = s && isPlainObject(s.state) ? s.state : {};
    const done = c.restartPolicy === 'Always' ? s?.started === true : isPlainObject(st.terminated) && st.terminated.exitCode === 0;
    if (!done) incomplete.push(String(c.name));
  }
  if (!incomplete.length) return { type: 'Initialized', status: 'True' };
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` };
}

function containersReady(spec: J, statuses: J[], initStatuses: J[], phase: PodPhase): Cond {
  if (phase === 'Succeeded') return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const sidecars = objects(spec.initContainers).filter((c) => c.restartPolicy === 'Always');
  for (const c of sidecars) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) unknown.push(String(c.name));
    else if (s.ready !== true) unready.push(String(c.name));
  }
  for (const c of objects(spec.containers)) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(String(c.name));
    else if (s.ready !== true) unready.push(String(c.name));
  }
  if (!unknown.length && !unready.length) return { type: 'ContainersReady', status: 'True' };
  const parts: string[] = [];
  if (unknown.length) parts.push(`containers with unknown status: [${unknown.join(' ')}]`);
  if (unready.length) parts.push(`containers with unready status: [${unready.join(' ')}]`);
  return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: parts.join(', ') };
}

function ready(spec: J, cReady: Cond, existing: J[]): Cond {
  if (cReady.status !== 'True') return { ...cReady, type: 'Ready' };
  const missing: string[] = [];
  const unready: string[] = [];
  for (const g of objects(spec.readinessGates)) {
    const c = existing.find((x) => x.type === g.conditionType);
    if (!c) missing.push(String(g.conditionType));
    else if (c.status !== 'True') unready.push(String(g.conditionType));
  }
  if (missing.length) {
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${missing[0]}" does not exist.` };
  }
  if (unready.length) {
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${unready[0]}" is not "True", but False` };
  }
  return { type: 'Ready', status: 'True' };
}

export interface ConditionInput {
  spec: J;
  phase: PodPhase;
  sandboxReady: boolean;
  initStatuses: J[];
  statuses: J[];
  existing: J[];
  now: string;
}

export function podConditions(inp: ConditionInput): J[] {
  const cReady = containersReady(inp.spec, inp.statuses, inp.initStatuses, inp.phase);
  const ours: Cond[] = [
    { type: 'PodReadyToStartContainers', status: inp.sandboxReady ? 'True' : 'False' },
    initialized(inp.spec, inp.initStatuses, inp.phase),
    ready(inp.spec, cReady, inp.existing),
    cReady,
  ];
  const out: J[] = ours.map((c) => {
    const prev = inp.existing.find((x) => x.type === c.type);
    const lastTransitionTime = prev && prev.status === c.status && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : inp.now;
    const j: J = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime };
    if (c.reason) j.reason = c.reason;
    if (c.message) j.message = c.message;
    return j;
  });
  for (const c of inp.existing) if (!KUBELET_CONDITIONS.includes(String(c.type))) out.push(c);
  return out;
}
