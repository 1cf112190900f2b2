// Adds upstream's `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` property
// extensions to the schemas, from the hand-written merge-key table (api/patch/merge-keys.ts).
// kubernetes-types carries no patch metadata, so this is the only source.

import { patchMetaFor, type PatchMeta } from '../patch/merge-keys.js';
import { definitions, definitionNameOf, refName, type GroupVersionKind, type Schema } from './definitions.js';

export interface PatchExtension {
  'x-kubernetes-patch-strategy': string;
  'x-kubernetes-patch-merge-key'?: string;
}

/** definition name → property → extension. */
export type PatchExtensions = Map<string, Map<string, PatchExtension>>;

function record(out: PatchExtensions, def: string, prop: string, ext: PatchExtension): void {
  let m = out.get(def);
  if (!m) out.set(def, (m = new Map()));
  m.set(prop, ext);
}

function visit(out: PatchExtensions, defName: string, meta: PatchMeta, depth: number): void {
  const def = definitions()[defName];
  if (!def?.properties || depth > 24) return;
  for (const [prop, s] of Object.entries(def.properties) as [string, Schema][]) {
    if (s.type === 'array') {
      const lm = meta.list(prop);
      if (lm.strategy === 'merge') {
        const ext: PatchExtension = { 'x-kubernetes-patch-strategy': lm.retainKeys ? 'merge,retainKeys' : 'merge' };
        if (lm.mergeKey) ext['x-kubernetes-patch-merge-key'] = lm.mergeKey;
        record(out, defName, prop, ext);
      } else if (lm.strategy === 'merge-primitive') {
        record(out, defName, prop, { 'x-kubernetes-patch-strategy': 'merge' });
      }
      if (s.items?.$ref) visit(out, refName(s.items.$ref), meta.element(prop), depth + 1);
    } else if (s.$ref) {
      const child = meta.child(prop);
      if (child.replace) record(out, defName, prop, { 'x-kubernetes-patch-strategy': child.retainKeys ? 'replace,retainKeys' : 'replace' });
      else if (child.retainKeys) record(out, defName, prop, { 'x-kubernetes-patch-strategy': 'retainKeys' });
      visit(out, refName(s.$ref), child, depth + 1);
    }
  }
}

/** The patch extensions reachable from the given top-level kinds. */
export function patchExtensionsFor(kinds: readonly GroupVersionKind[]): PatchExtensions {
  const out: PatchExtensions = new Map();
  for (const gvk of kinds) {
    const name = definitionNameOf(gvk);
    if (name) visit(out, name, patchMetaFor(gvk.kind), 0);
  }
  return out;
}
