#!/usr/bin/env node
// Builds src/api/schema/generated/definitions.json: OpenAPI-v2-style definitions
// (`io.k8s.api.apps.v1.StatefulSet` → {type, description, properties, ...}) for every
// type the served kinds reach. Source of truth: the `.d.ts` files of the
// `kubernetes-types` dependency (upstream's OpenAPI turned into interfaces, docs kept).
// The .d.ts files do not say int32 vs int64 vs double; where the installed
// `@kubernetes/client-node` models carry a format we take it, else int32.
// kubernetes-types is 1.30 and our reference release is 1.33: the properties and
// types added since come from client-node's (newer) models, minus the ones that are
// newer than 1.33 (schema-1.33-scope.mjs says which, and what 1.33 removed).
// The output is gitignored: it is produced from dependencies at build time.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findModel, mergeNewerModels, readModel, removeDropped } from './schema-client-node.mjs';
import { AFTER_1_33, REMOVED_BY_1_33, REMOVED_DEFINITIONS_BY_1_33 } from './schema-1.33-scope.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = join(root, 'node_modules', 'kubernetes-types');
const modelsDir = join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');
const outFile = join(root, 'src', 'api', 'schema', 'generated', 'definitions.json');

/** .d.ts module (relative to kubernetes-types) → OpenAPI definition prefix and client-node model prefix. */
const MODULES = {
  'core/v1': { prefix: 'io.k8s.api.core.v1', models: ['CoreV1', 'V1'] },
  'apps/v1': { prefix: 'io.k8s.api.apps.v1', models: ['AppsV1', 'V1'] },
  'storage/v1': { prefix: 'io.k8s.api.storage.v1', models: ['StorageV1', 'V1'] },
  'discovery/v1': { prefix: 'io.k8s.api.discovery.v1', models: ['DiscoveryV1', 'V1'] },
  'events/v1': { prefix: 'io.k8s.api.events.v1', models: ['EventsV1', 'V1'] },
  'coordination/v1': { prefix: 'io.k8s.api.coordination.v1', models: ['CoordinationV1', 'V1'] },
  'autoscaling/v1': { prefix: 'io.k8s.api.autoscaling.v1', models: ['AutoscalingV1', 'V1'] },
  'policy/v1': { prefix: 'io.k8s.api.policy.v1', models: ['PolicyV1', 'V1'] },
  'authentication/v1': { prefix: 'io.k8s.api.authentication.v1', models: ['AuthenticationV1', 'V1'] },
  'meta/v1': { prefix: 'io.k8s.apimachinery.pkg.apis.meta.v1', models: ['V1'] },
  runtime: { prefix: 'io.k8s.apimachinery.pkg.runtime', models: [] },
  'api/resource': { prefix: 'io.k8s.apimachinery.pkg.api.resource', models: [] },
};

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Turns a `/** ... *\/` block into plain text, keeping paragraph breaks. */
function cleanDoc(raw) {
  const body = raw.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.length === 1 ? lines[0].trim() : lines.join('\n');
}

/** A tiny cursor over one .d.ts file. */
class Cursor {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }
  ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peek(str) {
    this.ws();
    return this.s.startsWith(str, this.i);
  }
  eat(str) {
    if (!this.peek(str)) throw new Error(`expected ${str} at ${this.i}: ${this.s.slice(this.i, this.i + 60)}`);
    this.i += str.length;
  }
  doc() {
    this.ws();
    if (!this.s.startsWith('/**', this.i)) return undefined;
    const end = this.s.indexOf('*/', this.i);
    const d = cleanDoc(this.s.slice(this.i, end + 2));
    this.i = end + 2;
    return d;
  }
  word() {
    this.ws();
    const m = /^[A-Za-z_$][\w$-]*|^"[^"]*"/.exec(this.s.slice(this.i, this.i + 200));
    if (!m) throw new Error(`expected a name at ${this.i}: ${this.s.slice(this.i, this.i + 60)}`);
    this.i += m[0].length;
    return m[0].replace(/^"|"$/g, '');
  }
  /** The text of a type expression up to the `;` that ends it, at depth 0. */
  typeText() {
    let depth = 0;
    const start = this.i;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (c === '{' || c === '<' || c === '(') depth++;
      else if (c === '}' || c === '>' || c === ')') depth--;
      else if (c === ';' && depth === 0) break;
    }
    const t = this.s.slice(start, this.i).trim();
    this.i++;
    return t;
  }
}

/** Parses one .d.ts module into {imports, interfaces, aliases}. */
function parseModule(text) {
  const imports = new Map(); // local name → module key
  for (const m of text.matchAll(/^import \{([^}]*)\} from "\.\.\/([^"]+)";$/gm)) {
    const mod = m[2].replace(/^\.\.\//, '');
    for (const n of m[1].split(',').map((x) => x.trim()).filter(Boolean)) imports.set(n, mod);
  }
  const interfaces = new Map();
  const aliases = new Map();
  const c = new Cursor(text.replace(/^import .*$/gm, ''));
  for (;;) {
    const doc = c.doc();
    c.ws();
    if (c.i >= c.s.length) break;
    c.eat('export');
    const what = c.word();
    const name = c.word();
    if (what === 'type') {
      c.eat('=');
      aliases.set(name, { doc, type: c.typeText() });
      continue;
    }
    c.eat('{');
    const fields = [];
    for (;;) {
      const fdoc = c.doc();
      if (c.peek('}')) {
        c.eat('}');
        break;
      }
      let fname = c.word();
      let readonly = false;
      if (fname === 'readonly' && !c.peek(':') && !c.peek('?')) {
        readonly = true;
        fname = c.word();
      }
      const optional = c.peek('?');
      if (optional) c.eat('?');
      c.eat(':');
      fields.push({ name: fname, doc: fdoc, optional, readonly, type: c.typeText() });
    }
    interfaces.set(name, { doc, fields });
  }
  return { imports, interfaces, aliases };
}

/** Formats recorded by one client-node model: field → {type, format}. */
function modelFormats(modelName) {
  if (!modelName) return undefined;
  return new Map(readModel(modelsDir, modelName).properties.map((p) => [p.name, { type: p.type, format: p.format }]));
}

/** Client-node model-name prefix ("CoreV1") → definition prefix, for new types. */
function groupPrefixes() {
  const out = {};
  for (const { prefix, models } of Object.values(MODULES)) for (const m of models) if (m !== 'V1') out[m] = prefix;
  return out;
}

function build() {
  const modelByDef = new Map(); // definition name → client-node model name
  const modules = new Map();
  for (const key of Object.keys(MODULES)) {
    modules.set(key, parseModule(readFileSync(join(typesDir, `${key}.d.ts`), 'utf8')));
  }
  const defs = {};
  defs[INT_OR_STRING] = {
    description: 'IntOrString is a type that can hold an int32 or a string.',
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  };

  /** Definition name of `name` as seen from module `key`. */
  function resolveName(key, name) {
    const mod = modules.get(key);
    if (mod.interfaces.has(name) || mod.aliases.has(name)) return `${MODULES[key].prefix}.${name}`;
    const from = mod.imports.get(name);
    if (from && modules.has(from)) return resolveName(from, name);
    throw new Error(`unresolved type ${name} in ${key}`);
  }

  /** Schema of a type expression; `fmt` is the client-node format for this field, if any. */
  function typeSchema(key, t, fmt) {
    t = t.trim();
    if (t === 'string') return fmt?.format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    if (/^"[^"]*"$/.test(t)) return { type: 'string' };
    if (t === 'boolean') return { type: 'boolean' };
    if (t === 'number') {
      const f = fmt?.format;
      if (f === 'double' || f === 'float') return { type: 'number', format: 'double' };
      return { type: 'integer', format: f === 'int64' ? 'int64' : 'int32' };
    }
    if (t === 'number | string' || t === 'string | number') return { $ref: `#/definitions/${INT_OR_STRING}` };
    let m = /^Array<(.*)>$/s.exec(t);
    if (m) return { type: 'array', items: typeSchema(key, m[1], fmt && { format: fmt.format }) };
    m = /^\{\s*\[\w+: string\]: (.*);\s*\}$/s.exec(t);
    if (m) return { type: 'object', additionalProperties: typeSchema(key, m[1], fmt && { format: fmt.format }) };
    if (/^[A-Z]\w*$/.test(t)) return { $ref: `#/definitions/${resolveName(key, t)}` };
    throw new Error(`unsupported type expression in ${key}: ${t}`);
  }

  function interfaceSchema(key, name, itf) {
    const modelName = findModel(modelsDir, MODULES[key].models.map((p) => p + name));
    if (modelName) modelByDef.set(`${MODULES[key].prefix}.${name}`, modelName);
    const fmts = modelFormats(modelName);
    const s = {};
    if (itf.doc) s.description = itf.doc;
    s.type = 'object';
    if (itf.fields.length === 0) return s; // RawExtension, FieldsV1: any object
    const properties = {};
    const required = [];
    let apiVersion;
    let kind;
    for (const f of itf.fields) {
      const p = typeSchema(key, f.type, fmts?.get(f.name));
      if (f.doc) p.description = f.doc;
      properties[f.name] = p;
      if (!f.optional) required.push(f.name);
      if (f.name === 'apiVersion' && /^"/.test(f.type)) apiVersion = f.type.slice(1, -1);
      if (f.name === 'kind' && /^"/.test(f.type)) kind = f.type.slice(1, -1);
    }
    if (required.length) s.required = required;
    s.properties = properties;
    if (apiVersion && kind) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      s['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    }
    return s;
  }

  function aliasSchema(key, name, alias) {
    const s = {};
    if (alias.doc) s.description = alias.doc;
    if (name === 'Time' || name === 'MicroTime') Object.assign(s, { type: 'string', format: 'date-time' });
    else if (name === 'Quantity') Object.assign(s, { type: 'string', 'x-kubernetes-quantity': true });
    else Object.assign(s, typeSchema(key, alias.type));
    return s;
  }

  for (const [key, mod] of modules) {
    for (const [name, itf] of mod.interfaces) defs[`${MODULES[key].prefix}.${name}`] = interfaceSchema(key, name, itf);
    for (const [name, alias] of mod.aliases) defs[`${MODULES[key].prefix}.${name}`] = aliasSchema(key, name, alias);
  }
  removeDropped(defs, REMOVED_BY_1_33, REMOVED_DEFINITIONS_BY_1_33);
  for (const def of REMOVED_DEFINITIONS_BY_1_33) modelByDef.delete(def);
  const merged = mergeNewerModels(defs, modelByDef, { modelsDir, groupPrefixes: groupPrefixes(), exclude: AFTER_1_33 });
  return { defs, ...merged };
}

const started = Date.now();
const { defs, added, created } = build();
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({ source: 'kubernetes-types 1.30 + @kubernetes/client-node models, cut to Kubernetes 1.33', definitions: defs }));
if (process.env.GEN_SCHEMA_VERBOSE) {
  console.log(`gen-schema: ${Object.keys(defs).length} definitions in ${Date.now() - started} ms → ${outFile}`);
  console.log(`  from client-node, properties: ${added.join(', ')}`);
  console.log(`  from client-node, definitions: ${created.join(', ')}`);
}
