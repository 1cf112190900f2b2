// Decodes a JSON tree against a schema the way upstream's typed decoding does
// (sigs.k8s.io/json into Go structs): known fields are kept, unknown ones are dropped
// and reported, duplicate keys are reported, and a value of the wrong type stops the
// decode with Go's `json: cannot unmarshal ...` message.

import { QUANTITY_FORMAT_ERROR, isQuantity } from '../quantity.js';
import { resolveSchema, type Schema } from './definitions.js';
import { goValueKind, plainOf, type JNode } from './json-tree.js';

/** A decode failure; `message` is the Go error text (without the "X in version" prefix). */
export class TypedDecodeError extends Error {}

/** Go's error context: the innermost struct type and the JSON field names leading to it. */
interface GoContext {
  struct?: string;
  fields: string[];
}

export interface TypedDecodeResult {
  value: unknown;
  /** `unknown field "a.b"` / `duplicate field "a.b"`, in the order upstream reports them. */
  strictErrors: string[];
}

const MAX_STRICT_ERRORS = 100;
const INT_RANGE = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

/** Go's name for a definition's type: `v1.StatefulSetSpec`, `resource.Quantity`. */
function goTypeOfDef(name: string): string {
  const parts = name.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function goType(s: Schema): string {
  if (s.$ref) return goTypeOfDef(resolveSchema(s).name!);
  if (s.type === 'array') return `[]${s.items ? goType(s.items) : 'interface {}'}`;
  if (s.type === 'object' && s.additionalProperties) return `map[string]${goType(s.additionalProperties)}`;
  if (s.type === 'object') return 'map[string]interface {}';
  if (s.type === 'integer') return s.format === 'int64' ? 'int64' : 'int32';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  if (s.type === 'string') return s.format === 'byte' ? '[]uint8' : 'string';
  return 'interface {}';
}

const isFreeForm = (s: Schema): boolean => s.type === 'object' && !s.properties && !s.additionalProperties;
const joinPath = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The value Go leaves behind when a JSON null lands in a non-pointer slot (map value, list item). */
function zeroValue(s: Schema): unknown {
  const { schema } = resolveSchema(s);
  if (schema['x-kubernetes-quantity']) return '0';
  if (schema['x-kubernetes-int-or-string']) return 0;
  switch (schema.type) {
    case 'string':
      return schema.format === 'date-time' ? undefined : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return schema.properties ? {} : undefined;
    default:
      return undefined;
  }
}

class Decoder {
  strictErrors: string[] = [];
  private seen = new Set<string>();
  /** Go keeps only the first type error and goes on decoding. */
  private saved?: string;

  constructor(private readonly strict: boolean) {}

  private strictError(msg: string): void {
    if (!this.strict || this.seen.has(msg) || this.strictErrors.length >= MAX_STRICT_ERRORS) return;
    this.seen.add(msg);
    this.strictErrors.push(msg);
  }

  private typeError(node: JNode, type: string, ctx: GoContext, value = goValueKind(node)): void {
    if (this.saved) return;
    this.saved = ctx.struct
      ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`
      : `json: cannot unmarshal ${value} into Go value of type ${type}`;
  }

  finish(value: unknown): TypedDecodeResult {
    if (this.saved) throw new TypedDecodeError(this.saved);
    return { value, strictErrors: this.strictErrors };
  }

  /** Returns the decoded value, or undefined for "leave the field out". */
  value(node: JNode, s: Schema, path: string, ctx: GoContext): unknown {
    const { name, schema } = resolveSchema(s);
    if (schema['x-kubernetes-int-or-string']) return this.intOrString(node, ctx);
    if (schema['x-kubernetes-quantity']) return this.quantity(node);
    if (node.t === 'null') return undefined;
    if (isFreeForm(schema)) return plainOf(node);
    switch (schema.type) {
      case 'object':
        if (node.t !== 'obj') return this.typeError(node, name ? goTypeOfDef(name) : goType(schema), ctx);
        return schema.properties ? this.struct(node, schema, name, path, ctx) : this.map(node, schema, path, ctx);
      case 'array':
        if (node.t !== 'arr') return this.typeError(node, goType(schema), ctx);
        return node.items.map((item, i) => this.element(item, schema.items ?? {}, `${path}[${i}]`, ctx));
      case 'string':
        if (node.t !== 'str') return this.typeError(node, goType(schema), ctx);
        if (schema.format === 'byte') this.base64(node.v);
        else if (schema.format === 'date-time') this.time(node.v, schema);
        return node.v;
      case 'integer':
        return this.integer(node, schema.format === 'int64' ? 'int64' : 'int32', ctx);
      case 'number':
        if (node.t !== 'num') return this.typeError(node, 'float64', ctx);
        return Number(node.raw);
      case 'boolean':
        if (node.t !== 'bool') return this.typeError(node, 'bool', ctx);
        return node.v;
      default:
        return plainOf(node);
    }
  }

  private element(node: JNode, s: Schema, path: string, ctx: GoContext): unknown {
    const v = node.t === 'null' ? zeroValue(s) : this.value(node, s, path, ctx);
    return v === undefined ? null : v;
  }

  private struct(node: Extract<JNode, { t: 'obj' }>, schema: Schema, name: string | undefined, path: string, ctx: GoContext) {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const props = schema.properties!;
    for (const [key, child] of node.entries) {
      const p = joinPath(path, key);
      const prop = Object.hasOwn(props, key) ? props[key] : undefined;
      if (!prop) {
        this.strictError(`unknown field "${p}"`);
        continue;
      }
      if (seen.has(key)) this.strictError(`duplicate field "${p}"`);
      seen.add(key);
      const inner: GoContext = { struct: name ? shortName(name) : ctx.struct, fields: [...ctx.fields, key] };
      const v = this.value(child, prop, p, inner);
      if (v === undefined) delete out[key];
      else out[key] = v;
    }
    return out;
  }

  private map(node: Extract<JNode, { t: 'obj' }>, schema: Schema, path: string, ctx: GoContext) {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const elem = schema.additionalProperties ?? {};
    for (const [key, child] of node.entries) {
      const p = joinPath(path, key);
      if (seen.has(key)) this.strictError(`duplicate field "${p}"`);
      seen.add(key);
      const v = child.t === 'null' ? zeroValue(elem) : this.value(child, elem, p, ctx);
      out[key] = v === undefined ? null : v;
    }
    return out;
  }

  private integer(node: JNode, kind: 'int32' | 'int64', ctx: GoContext): number | undefined {
    if (node.t !== 'num') return this.typeError(node, kind, ctx), undefined;
    const [lo, hi] = INT_RANGE[kind];
    if (!/^-?\d+$/.test(node.raw) || BigInt(node.raw) < lo || BigInt(node.raw) > hi) {
      return this.typeError(node, kind, ctx, `number ${node.raw}`), undefined;
    }
    return Number(node.raw);
  }

  /** intstr.IntOrString's own UnmarshalJSON: a string, or else an int32 (errors abort the decode). */
  private intOrString(node: JNode, ctx: GoContext): number | string | undefined {
    if (node.t === 'null') return undefined;
    if (node.t === 'str') return node.v;
    const value = node.t === 'num' ? `number ${node.raw}` : goValueKind(node);
    const ok = node.t === 'num' && /^-?\d+$/.test(node.raw) && BigInt(node.raw) >= INT_RANGE.int32[0] && BigInt(node.raw) <= INT_RANGE.int32[1];
    if (ok) return Number((node as { raw: string }).raw);
    const where = ctx.struct ? `Go struct field ${ctx.struct}.${ctx.fields.join('.')}` : 'Go value';
    throw new TypedDecodeError(`json: cannot unmarshal ${node.t === 'num' ? value : goValueKind(node)} into ${where} of type int32`);
  }

  /** resource.Quantity's UnmarshalJSON: a quoted or bare quantity; anything else aborts. */
  private quantity(node: JNode): string | undefined {
    if (node.t === 'null') return undefined;
    const text = node.t === 'str' ? node.v.trim() : node.t === 'num' ? node.raw : JSON.stringify(plainOf(node));
    if (!isQuantity(text)) {
      if (/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(text)) throw new TypedDecodeError("unable to parse quantity's suffix");
      throw new TypedDecodeError(QUANTITY_FORMAT_ERROR);
    }
    return text;
  }

  private base64(s: string): void {
    const clean = s.replace(/[\r\n]/g, '');
    const bad = clean.search(/[^A-Za-z0-9+/=]/);
    const pad = clean.indexOf('=');
    let at = -1;
    if (bad >= 0) at = bad;
    else if (pad >= 0 && (!/^=*$/.test(clean.slice(pad)) || clean.length % 4 !== 0 || clean.length - pad > 2)) at = pad;
    else if (clean.length % 4 !== 0) at = clean.length - (clean.length % 4 === 1 ? 1 : 0);
    if (at >= 0 && !this.saved) this.saved = `illegal base64 data at input byte ${at}`;
  }

  private time(s: string, schema: Schema): void {
    const layout = schema.description?.includes('microsecond') ? '2006-01-02T15:04:05.000000Z07:00' : '2006-01-02T15:04:05Z07:00';
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return;
    throw new TypedDecodeError(`parsing time "${s}" as "${layout}": cannot parse "${s}" as "2006"`);
  }
}

/**
 * Decodes `root` as a value of the definition schema `s`. `strict` collects unknown and
 * duplicate fields; a wrong-typed value throws TypedDecodeError either way.
 */
export function decodeTyped(root: JNode, s: Schema, strict: boolean): TypedDecodeResult {
  const d = new Decoder(strict);
  const value = d.value(root, s, '', { fields: [] });
  return d.finish(value);
}
