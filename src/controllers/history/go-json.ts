// Go's encoding/json.Marshal of a decoded JSON value (map[string]interface{} and friends):
// object keys sorted, no spaces, HTML-sensitive characters escaped. Revision data is hashed
// byte for byte, so the bytes must be the ones a Go controller would have written.

/** `<`, `>`, `&` and the two JavaScript line terminators are escaped by Go's default encoder. */
const GO_EXTRA_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goString(s: string): string {
  // JSON.stringify already matches Go for quotes, backslashes and control characters
  // (Go ≥1.22 writes \b and \f short too); only Go's HTML-safe extras remain.
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => GO_EXTRA_ESCAPES[c]);
}

/** strconv.FormatFloat(f, 'f' or 'e', -1, 64) as encoding/json chooses between them. */
function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const [mantissa, exp] = n.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** The exact bytes (as a string) Go's json.Marshal writes for `v`. Undefined members are skipped. */
export function goMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return goString(v);
    case 'number':
      return goNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw new Error(`json: unsupported type: ${typeof v}`);
  }
  if (Array.isArray(v)) return `[${v.map(goMarshal).join(',')}]`;
  const o = v as Record<string, unknown>;
  // Go sorts map keys by their UTF-8 bytes; for the ASCII keys of the API that is code-unit order.
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareUtf8);
  return `{${keys.map((k) => `${goString(k)}:${goMarshal(o[k])}`).join(',')}}`;
}

function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
