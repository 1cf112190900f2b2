// Reads @kubernetes/client-node's generated models (the second, newer schema source)
// and merges what they add into the definitions built from kubernetes-types.
//
// A model is two files: `<Name>.js` whose `attributeTypeMap` gives each property's
// wire name, type and format, and `<Name>.d.ts` whose doc comments and `?` markers
// give descriptions and optionality. Both are read as text (no import) to stay fast.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ATTRIBUTE = /"baseName": "([^"]+)",\s*"type": "([^"]*)",\s*"format": "([^"]*)"/g;
// An optional doc comment (never spanning two comments) followed by a `'name'?:` member.
const MEMBER = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n)?^\s*'([^']+)'(\?)?:/gm;
const CLASS_DOC = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/;

const REF = '#/definitions/';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The generator escapes quotes inside comments; the text itself has none of that. */
function docText(raw) {
  const text = raw
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trim())
    .filter(Boolean)
    .join('\n');
  return text.replace(/\\(['"\\])/g, '$1') || undefined;
}

const cache = new Map();

/**
 * One model: {doc, properties: [{name, type, format, doc, optional}]}, or undefined
 * when client-node has no model of that name.
 */
export function readModel(modelsDir, name) {
  if (cache.has(name)) return cache.get(name);
  const js = join(modelsDir, `${name}.js`);
  let model;
  if (existsSync(js)) {
    const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
    const members = new Map();
    for (const m of dts.matchAll(MEMBER)) members.set(m[2], { doc: m[1] && docText(m[1]), optional: m[3] === '?' });
    const classDoc = CLASS_DOC.exec(dts);
    const properties = [...readFileSync(js, 'utf8').matchAll(ATTRIBUTE)].map((m) => ({
      name: m[1],
      type: m[2],
      format: m[3],
      doc: members.get(m[1])?.doc,
      optional: members.get(m[1])?.optional ?? true,
    }));
    model = { doc: classDoc ? docText(classDoc[1]) : undefined, properties };
  }
  cache.set(name, model);
  return model;
}

/** First of the candidate model names that client-node has. */
export function findModel(modelsDir, candidates) {
  return candidates.find((name) => readModel(modelsDir, name));
}

/** Sorts properties by name the way upstream's OpenAPI lists them (byte order). */
function sortedProperties(props) {
  return Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Adds to `defs` the properties client-node's models have and kubernetes-types lacks,
 * creating the definitions those properties reference, skipping `exclude[def]`.
 *
 * - modelByDef: definition name → client-node model name, for the existing defs.
 * - groupPrefixes: model-name prefix ("CoreV1") → definition prefix; a bare "V1"
 *   model that is new lives in the module of the definition that refers to it.
 * Returns {added: ["def.prop"], created: ["def"]} for the verbose log.
 */
export function mergeNewerModels(defs, modelByDef, { modelsDir, groupPrefixes, exclude }) {
  const defByModel = new Map();
  for (const [def, model] of modelByDef) if (!defByModel.has(model)) defByModel.set(model, def);
  const usedExclusions = new Set();
  const added = [];
  const created = [];
  const prefixes = Object.keys(groupPrefixes).sort((a, b) => b.length - a.length);

  const excluded = (def, prop) => {
    const hit = exclude[def]?.includes(prop) ?? false;
    if (hit) usedExclusions.add(`${def}.${prop}`);
    return hit;
  };

  function defNameOf(model, referrer) {
    const known = defByModel.get(model);
    if (known) return known;
    const group = prefixes.find((p) => model.startsWith(p) && /^[A-Z]/.test(model.slice(p.length)));
    const name = group
      ? `${groupPrefixes[group]}.${model.slice(group.length)}`
      : `${referrer.slice(0, referrer.lastIndexOf('.'))}.${model.replace(/^V\d+/, '')}`;
    defByModel.set(model, name);
    if (!defs[name]) createDefinition(name, model);
    return name;
  }

  function schemaOf(type, format, referrer) {
    if (type === 'string') return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    if (type === 'boolean') return { type: 'boolean' };
    if (type === 'number') {
      if (format === 'double' || format === 'float') return { type: 'number', format: 'double' };
      return { type: 'integer', format: format === 'int64' ? 'int64' : 'int32' };
    }
    if (type === 'Date') return { $ref: REF + TIME };
    if (type === 'IntOrString') return { $ref: REF + INT_OR_STRING };
    let m = /^Array<(.*)>$/.exec(type);
    if (m) return { type: 'array', items: schemaOf(m[1], format, referrer) };
    m = /^\{ \[key: string\]: (.*); \}$/.exec(type);
    if (m) return { type: 'object', additionalProperties: schemaOf(m[1], format, referrer) };
    if (/^[A-Z]\w*$/.test(type)) return { $ref: REF + defNameOf(type, referrer) };
    throw new Error(`gen-schema: unsupported client-node type "${type}" (in ${referrer})`);
  }

  function propertySchema(def, p) {
    const s = schemaOf(p.type, p.format, def);
    if (p.doc) s.description = p.doc;
    return s;
  }

  function createDefinition(name, modelName) {
    const model = readModel(modelsDir, modelName);
    if (!model) throw new Error(`gen-schema: no client-node model ${modelName} for ${name}`);
    const s = {};
    if (model.doc) s.description = model.doc;
    s.type = 'object';
    defs[name] = s; // before the properties: they may refer back to it
    const properties = {};
    const required = [];
    for (const p of model.properties) {
      if (excluded(name, p.name)) continue;
      properties[p.name] = propertySchema(name, p);
      if (!p.optional) required.push(p.name);
    }
    if (required.length) s.required = required;
    s.properties = sortedProperties(properties);
    created.push(name);
  }

  for (const [def, modelName] of modelByDef) {
    const target = defs[def];
    const model = readModel(modelsDir, modelName);
    if (!target?.properties || !model) continue;
    let changed = false;
    for (const p of model.properties) {
      if (p.name in target.properties || excluded(def, p.name)) continue;
      target.properties[p.name] = propertySchema(def, p);
      added.push(`${def}.${p.name}`);
      changed = true;
    }
    if (changed) target.properties = sortedProperties(target.properties);
  }

  const stale = Object.entries(exclude).flatMap(([def, props]) => props.map((p) => `${def}.${p}`)).filter((k) => !usedExclusions.has(k));
  if (stale.length) throw new Error(`gen-schema: exclusions match nothing in client-node: ${stale.join(', ')}`);
  return { added, created };
}

/** Drops properties and definitions the newer release removed; each must exist. */
export function removeDropped(defs, removedProps, removedDefs) {
  for (const [def, props] of Object.entries(removedProps)) {
    const s = defs[def];
    for (const p of props) {
      if (!s?.properties?.[p]) throw new Error(`gen-schema: cannot remove missing ${def}.${p}`);
      delete s.properties[p];
      if (s.required) s.required = s.required.filter((r) => r !== p);
      if (s.required?.length === 0) delete s.required;
    }
  }
  for (const def of removedDefs) {
    if (!defs[def]) throw new Error(`gen-schema: cannot remove missing definition ${def}`);
    delete defs[def];
  }
}
