// Required node affinity as the scheduler evaluates it (component-helpers' nodeaffinity):
// a pod's `nodeSelector` and `requiredDuringSchedulingIgnoredDuringExecution` terms, and a
// PV's `spec.nodeAffinity.required`, matched against a Node's labels and name.

import { isPlainObject, type KObject } from '../../api/object.js';

type J = Record<string, unknown>;

const NAME_FIELD = 'metadata.name';

function objects(v: unknown): J[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Go's strconv.ParseInt(s, 10, 64) accepts an optional sign and decimal digits only. */
function parseInteger(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s) ? BigInt(s) : undefined;
}

/**
 * One matchExpressions entry against the node's labels. A malformed requirement (wrong value
 * count, unknown operator, non-integer Gt/Lt bound) is undefined: it invalidates its term.
 */
function labelRequirementMatches(req: J, labels: Record<string, string>): boolean | undefined {
  const key = typeof req.key === 'string' ? req.key : '';
  const values = strings(req.values);
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const value = has ? labels[key] : undefined;
  switch (req.operator) {
    case 'In':
      if (!values.length) return undefined;
      return has && values.includes(value!);
    case 'NotIn':
      if (!values.length) return undefined;
      return !has || !values.includes(value!);
    case 'Exists':
      if (values.length) return undefined;
      return has;
    case 'DoesNotExist':
      if (values.length) return undefined;
      return !has;
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseInteger(values[0]) : undefined;
      if (bound === undefined) return undefined;
      const n = has ? parseInteger(value!) : undefined;
      if (n === undefined) return false;
      return req.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return undefined;
  }
}

/** One matchFields entry: only In/NotIn with exactly one value are valid; the node's only field is its name. */
function fieldRequirementMatches(req: J, nodeName: string): boolean | undefined {
  const values = strings(req.values);
  if (values.length !== 1) return undefined;
  const field = req.key === NAME_FIELD ? nodeName : '';
  if (req.operator === 'In') return field === values[0];
  if (req.operator === 'NotIn') return field !== values[0];
  return undefined;
}

/** A term's requirements are ANDed; an empty or malformed term matches no node. */
function termMatches(term: J, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = objects(term.matchExpressions);
  const fields = objects(term.matchFields);
  if (!exprs.length && !fields.length) return false;
  let all = true;
  for (const r of exprs) {
    const m = labelRequirementMatches(r, labels);
    if (m === undefined) return false;
    all &&= m;
  }
  for (const r of fields) {
    const m = fieldRequirementMatches(r, nodeName);
    if (m === undefined) return false;
    all &&= m;
  }
  return all;
}

export function nodeLabels(node: KObject): Record<string, string> {
  return node.metadata.labels ?? {};
}

/** A NodeSelector (`{nodeSelectorTerms: [...]}`): the terms are ORed. */
export function nodeSelectorMatches(selector: unknown, node: KObject): boolean {
  if (!isPlainObject(selector)) return false;
  const labels = nodeLabels(node);
  const name = node.metadata.name ?? '';
  return objects(selector.nodeSelectorTerms).some((t) => termMatches(t, labels, name));
}

function requiredAffinity(pod: KObject): J | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const affinity = isPlainObject(spec.affinity) ? spec.affinity : undefined;
  const nodeAffinity = affinity && isPlainObject(affinity.nodeAffinity) ? affinity.nodeAffinity : undefined;
  const required = nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return isPlainObject(required) ? required : undefined;
}

/** The NodeAffinity filter: every nodeSelector pair, and the required affinity when there is one. */
export function podNodeAffinityMatches(pod: KObject, node: KObject): boolean {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const labels = nodeLabels(node);
  if (isPlainObject(spec.nodeSelector)) {
    for (const [k, v] of Object.entries(spec.nodeSelector)) if (labels[k] !== v) return false;
  }
  const required = requiredAffinity(pod);
  return required === undefined || nodeSelectorMatches(required, node);
}

/** The node names a pod's required affinity pins it to, as NodeAffinity's PreFilter derives them. */
export type AffinityNodeNames = { kind: 'all' } | { kind: 'some'; names: Set<string> } | { kind: 'conflict' };

/**
 * Every term must name nodes (matchFields metadata.name In) for the pod to be restricted;
 * within a term those sets intersect, across terms they unite. An empty result is a conflict.
 */
export function affinityNodeNames(pod: KObject): AffinityNodeNames {
  const terms = objects(requiredAffinity(pod)?.nodeSelectorTerms);
  if (!terms.length) return { kind: 'all' };
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of objects(term.matchFields)) {
      if (r.key !== NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(strings(r.values));
      names = names === undefined ? s : new Set([...names].filter((n) => s.has(n)));
    }
    if (names === undefined) return { kind: 'all' };
    for (const n of names) union.add(n);
  }
  return union.size ? { kind: 'some', names: union } : { kind: 'conflict' };
}
