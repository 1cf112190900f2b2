// A JSON reader that keeps what JSON.parse throws away and the typed decoder needs:
// every key of an object in order (so duplicates can be reported, as upstream's
// sigs.k8s.io/json does) and the literal text of numbers (so "number 1.5" and int64
// range checks see what the client sent). Syntax errors use Go encoding/json's wording,
// because that is what the real apiserver puts in its Status message.

export type JNode =
  | { t: 'obj'; entries: [string, JNode][] }
  | { t: 'arr'; items: JNode[] }
  | { t: 'str'; v: string }
  | { t: 'num'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

export class JsonSyntaxError extends Error {}

/** Go's quoteChar: how encoding/json names a bad byte in a message. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(context: string): never {
    if (this.i >= this.s.length) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.s[this.i]!)} ${context}`);
  }

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i]!)) this.i++;
  }

  value(): JNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { t: 'str', v: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { t: 'num', raw: this.number() };
    if (c === 't') return this.literal('true', { t: 'bool', v: true });
    if (c === 'f') return this.literal('false', { t: 'bool', v: false });
    if (c === 'n') return this.literal('null', { t: 'null' });
    return this.fail('looking for beginning of value');
  }

  literal(word: string, node: JNode): JNode {
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    return node;
  }

  object(): JNode {
    this.i++; // {
    const entries: [string, JNode][] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      entries.push([key, this.value()]);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { t: 'obj', entries };
      }
      this.fail('after object key:value pair');
    }
  }

  array(): JNode {
    this.i++; // [
    const items: JNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'arr', items };
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { t: 'arr', items };
      }
      this.fail('after array element');
    }
  }

  string(): string {
    const start = this.i;
    this.i++; // opening quote
    let simple = true;
    for (;;) {
      if (this.i >= this.s.length) this.fail('');
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('in string literal');
      if (c === 0x5c) {
        simple = false;
        const e = this.s[this.i + 1];
        this.i++;
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(this.s[this.i + k] ?? '')) {
              this.i += k;
              this.fail('in \\u hexadecimal character escape');
            }
          }
          this.i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.fail('in string escape code');
        }
      }
      this.i++;
    }
    this.i++; // closing quote
    const raw = this.s.slice(start, this.i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  }

  number(): string {
    const start = this.i;
    if (this.s[this.i] === '-') this.i++;
    const digit = (): boolean => {
      const c = this.s[this.i];
      return c !== undefined && c >= '0' && c <= '9';
    };
    if (this.s[this.i] === '0') this.i++;
    else if (digit()) while (digit()) this.i++;
    else this.fail('in numeric literal');
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return this.s.slice(start, this.i);
  }
}

/** Parses JSON text into a tree; throws JsonSyntaxError with Go's wording. */
export function parseJsonTree(text: string): JNode {
  const r = new Reader(text);
  const node = r.value();
  r.ws();
  if (r.i < text.length) r.fail('after top-level value');
  return node;
}

/** The tree of an already-parsed value (no duplicates can be seen any more). */
export function treeOf(value: unknown): JNode {
  if (value === null || value === undefined) return { t: 'null' };
  if (Array.isArray(value)) return { t: 'arr', items: value.map(treeOf) };
  switch (typeof value) {
    case 'string':
      return { t: 'str', v: value };
    case 'number':
      return { t: 'num', raw: Number.isInteger(value) ? BigInt(value).toString() : String(value) };
    case 'boolean':
      return { t: 'bool', v: value };
    case 'object':
      return { t: 'obj', entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, treeOf(v)]) };
    default:
      return { t: 'null' };
  }
}

/** The plain JavaScript value of a tree; for duplicate keys the last one wins, as in Go. */
export function plainOf(node: JNode): unknown {
  switch (node.t) {
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of node.entries) o[k] = plainOf(v);
      return o;
    }
    case 'arr':
      return node.items.map(plainOf);
    case 'str':
      return node.v;
    case 'num':
      return Number(node.raw);
    case 'bool':
      return node.v;
    case 'null':
      return null;
  }
}

/** How Go's decoder names a JSON value of the wrong type ("number" without its text). */
export function goValueKind(node: JNode): string {
  switch (node.t) {
    case 'obj':
      return 'object';
    case 'arr':
      return 'array';
    case 'str':
      return 'string';
    case 'num':
      return 'number';
    case 'bool':
      return 'bool';
    case 'null':
      return 'null';
  }
}

/**
 * Every duplicate key anywhere in a JSON document, as `duplicate field "a.b[0].c"`,
 * in document order. For patch bodies, which upstream decodes into a plain map first.
 */
export function duplicateFieldErrors(root: JNode): string[] {
  const out = new Set<string>();
  const walk = (node: JNode, path: string): void => {
    if (node.t === 'obj') {
      const seen = new Set<string>();
      for (const [k, v] of node.entries) {
        const p = path ? `${path}.${k}` : k;
        if (seen.has(k)) out.add(`duplicate field "${p}"`);
        seen.add(k);
        walk(v, p);
      }
    } else if (node.t === 'arr') {
      node.items.forEach((v, i) => walk(v, `${path}[${i}]`));
    }
  };
  walk(root, '');
  return [...out];
}
