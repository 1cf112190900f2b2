// Label and field selectors: the string syntax of `?labelSelector=` / `?fieldSelector=`
// and the structured `LabelSelector` of specs, both reduced to one matcher.

import { badRequest } from './errors.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

export function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(v);
      const bound = Number(r.values[0]);
      if (!Number.isInteger(n)) return false;
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

export function matchesAll(reqs: Requirement[], labels: Labels): boolean {
  return reqs.every((r) => matchesRequirement(r, labels));
}

/** Splits on commas that are not inside `in (...)` sets. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Parses the label-selector string syntax (`a=b,c!=d,e in (x,y),!f,g`). */
export function parseLabelSelector(s: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const term of splitTerms(s)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([^\s!=<>(),]+)\s+(in|notin)\s+\((.*)\)$/))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
      reqs.push({ key: m[1]!, op: m[2] as Operator, values });
    } else if ((m = term.match(/^!\s*([^\s!=<>(),]+)$/))) {
      reqs.push({ key: m[1]!, op: '!', values: [] });
    } else if ((m = term.match(/^([^\s!=<>(),]+)\s*(==|=|!=|>|<)\s*([^\s!=<>(),]*)$/))) {
      const opText = m[2]!;
      const op: Operator = opText === '!=' ? '!=' : opText === '>' ? 'gt' : opText === '<' ? 'lt' : '=';
      reqs.push({ key: m[1]!, op, values: [m[3]!] });
    } else if ((m = term.match(/^([^\s!=<>(),]+)$/))) {
      reqs.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
    }
  }
  return reqs;
}

/** Field selectors allow only `=`, `==` and `!=`; values may escape `,` `=` `\`. */
export function parseFieldSelector(s: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const term of s.split(/(?<!\\),/)) {
    const t = term.trim();
    if (!t) continue;
    const m = t.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${t}'`);
    const value = m[3]!.replace(/\\(.)/g, '$1');
    reqs.push({ key: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', values: [value] });
  }
  return reqs;
}

export function labelSelectorToRequirements(sel: LabelSelector | undefined): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, Operator>)[e.operator];
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  return reqs;
}

/** A structured selector matches labels. An empty selector matches everything. */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Labels): boolean {
  return matchesAll(labelSelectorToRequirements(sel), labels);
}

/** The string form upstream prints (`app=nginx,tier in (a,b)`), sorted by key as upstream does. */
export function labelSelectorToString(sel: LabelSelector | undefined): string {
  const reqs = labelSelectorToRequirements(sel).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map(requirementToString).join(',');
}

function requirementToString(r: Requirement): string {
  switch (r.op) {
    case '=':
      return `${r.key}=${r.values[0]}`;
    case '!=':
      return `${r.key}!=${r.values[0]}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
  }
}
