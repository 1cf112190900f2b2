// The schema map of every served type, read lazily from the file that
// scripts/gen-schema.mjs writes at build time (never at start-up: the first request
// that needs a schema pays the ~10 ms, the server's start does not).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One OpenAPI-v2-style definition or property schema. Refs are `#/definitions/<name>`. */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  $ref?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-quantity'?: boolean;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  [extension: `x-${string}`]: unknown;
}

const RELATIVE = join('src', 'api', 'schema', 'generated', 'definitions.json');
const REF_PREFIX = '#/definitions/';

let cache: { defs: Record<string, Schema>; byGvk: Map<string, string> } | undefined;

function findFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 8; up++) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`schema definitions not found (${RELATIVE}); run \`node scripts/gen-schema.mjs\` (part of npm run build)`);
}

const gvkKey = (g: GroupVersionKind): string => `${g.group}/${g.version}/${g.kind}`;

function load(): NonNullable<typeof cache> {
  if (!cache) {
    const parsed = JSON.parse(readFileSync(findFile(), 'utf8')) as { definitions: Record<string, Schema> };
    const byGvk = new Map<string, string>();
    for (const [name, s] of Object.entries(parsed.definitions)) {
      for (const g of s['x-kubernetes-group-version-kind'] ?? []) if (!byGvk.has(gvkKey(g))) byGvk.set(gvkKey(g), name);
    }
    cache = { defs: parsed.definitions, byGvk };
  }
  return cache;
}

/** All definitions, keyed by upstream's name (`io.k8s.api.apps.v1.StatefulSet`). */
export function definitions(): Readonly<Record<string, Schema>> {
  return load().defs;
}

/** The definition name of a top-level kind, e.g. ('apps','v1','StatefulSet'). */
export function definitionNameOf(gvk: GroupVersionKind): string | undefined {
  return load().byGvk.get(gvkKey(gvk));
}

/** The definition name a `$ref` points at. */
export function refName(ref: string): string {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
}

/** Follows a `$ref` (if any) to the definition; returns its name too. */
export function resolveSchema(s: Schema): { name?: string; schema: Schema } {
  if (!s.$ref) return { schema: s };
  const name = refName(s.$ref);
  const target = load().defs[name];
  if (!target) throw new Error(`schema: dangling reference ${s.$ref}`);
  return { name, schema: target };
}

/** Every definition reachable from the given ones (for per-group-version OpenAPI documents). */
export function closureOf(names: Iterable<string>): Set<string> {
  const defs = load().defs;
  const seen = new Set<string>();
  const stack = [...names];
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.$ref) stack.push(refName(s.$ref));
    visit(s.items);
    visit(s.additionalProperties);
    for (const p of Object.values(s.properties ?? {})) visit(p);
  };
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n) || !defs[n]) continue;
    seen.add(n);
    visit(defs[n]);
  }
  return seen;
}
