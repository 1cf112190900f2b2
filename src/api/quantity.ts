// resource.Quantity: parse, compare and print quantities ("1Gi", "500m", "1e3") the way
// apimachinery does. The apiserver re-encodes every quantity it stores, so what kubectl reads
// back is the canonical form ("1024Mi" becomes "1Gi", "1.5" becomes "1500m").

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** value = mantissa × 10^scale (exact), printed in `format`. */
export interface Quantity {
  mantissa: bigint;
  scale: number;
  format: QuantityFormat;
}

/** The decode error upstream returns for a malformed quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY_POWERS: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_EXPONENTS).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = new Map(Object.entries(BINARY_POWERS).map(([s, p]) => [p, s]));

const pow10 = (n: number) => 10n ** BigInt(n);
const absBig = (v: bigint) => (v < 0n ? -v : v);

/** Parses a quantity string; undefined when it is not one. */
export function parseQuantity(input: string): Quantity | undefined {
  if (typeof input !== 'string') return undefined;
  const m = QUANTITY_RE.exec(input.trim());
  if (!m) return undefined;
  const [, sign, num, suffix = ''] = m;
  const [intPart, fracPart = ''] = num.split('.');
  let mantissa = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length;
  let format: QuantityFormat;
  if (suffix in BINARY_POWERS) {
    format = 'BinarySI';
    mantissa *= 1024n ** BigInt(BINARY_POWERS[suffix]);
  } else if (suffix in DECIMAL_EXPONENTS) {
    format = 'DecimalSI';
    scale += DECIMAL_EXPONENTS[suffix];
  } else {
    format = 'DecimalExponent';
    const exp = Number(suffix.slice(1));
    if (!Number.isSafeInteger(exp)) return undefined;
    scale += exp;
  }
  if (sign === '-') mantissa = -mantissa;
  return normalize(roundUpToNano({ mantissa, scale, format }));
}

/** Upstream keeps nothing finer than 10^-9 and rounds away from zero. */
function roundUpToNano(q: Quantity): Quantity {
  if (q.scale >= -9) return q;
  const div = pow10(-9 - q.scale);
  const abs = absBig(q.mantissa);
  let r = abs / div;
  if (r * div !== abs) r += 1n;
  return { ...q, mantissa: q.mantissa < 0n ? -r : r, scale: -9 };
}

/** Removes trailing decimal zeros from the mantissa (value unchanged). */
function normalize(q: Quantity): Quantity {
  let { mantissa, scale } = q;
  if (mantissa === 0n) return { ...q, mantissa: 0n, scale: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale += 1;
  }
  return { ...q, mantissa, scale };
}

export function isQuantity(s: string): boolean {
  return parseQuantity(s) !== undefined;
}

export function quantitySign(q: Quantity): -1 | 0 | 1 {
  return q.mantissa === 0n ? 0 : q.mantissa < 0n ? -1 : 1;
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const scale = Math.min(a.scale, b.scale);
  const av = a.mantissa * pow10(a.scale - scale);
  const bv = b.mantissa * pow10(b.scale - scale);
  return av === bv ? 0 : av < bv ? -1 : 1;
}

/** Compares two quantity strings; throws on a malformed one. */
export function compareQuantityStrings(a: string, b: string): -1 | 0 | 1 {
  return compareQuantities(mustParseQuantity(a), mustParseQuantity(b));
}

export function mustParseQuantity(s: string): Quantity {
  const q = parseQuantity(s);
  if (!q) throw new Error(`unable to parse quantity's suffix: ${JSON.stringify(s)}`);
  return q;
}

/** The value scaled to 10^scale as an integer, rounded up (away from zero) like AsScale/ScaledValue. */
function scaledValue(q: Quantity, scale: number): bigint {
  if (q.scale >= scale) return q.mantissa * pow10(q.scale - scale);
  const div = pow10(scale - q.scale);
  const abs = absBig(q.mantissa);
  let r = abs / div;
  if (r * div !== abs) r += 1n;
  return q.mantissa < 0n ? -r : r;
}

/** Integer value, rounded up (Quantity.Value()). */
export function quantityValue(q: Quantity): number {
  return Number(scaledValue(q, 0));
}

/** Value × 1000, rounded up (Quantity.MilliValue()). */
export function quantityMilliValue(q: Quantity): number {
  return Number(scaledValue(q, -3));
}

/** The canonical string upstream's Quantity.String() prints. */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const exactInt = q.scale >= 0;
    const small = compareQuantities(q, { mantissa: 1024n, scale: 0, format }) < 0 && compareQuantities(q, { mantissa: -1024n, scale: 0, format }) > 0;
    // Small or fractional binary amounts print as decimal to avoid rounding.
    if (small || !exactInt) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = q.mantissa * pow10(q.scale);
    let power = 0;
    while (v !== 0n && v % 1024n === 0n && BINARY_SUFFIX_BY_POWER.has(power + 1)) {
      v /= 1024n;
      power++;
    }
    return `${v}${BINARY_SUFFIX_BY_POWER.get(power) ?? ''}`;
  }
  // Decimal: integer mantissa with an exponent that is a multiple of 3.
  let mantissa = q.mantissa;
  let exp = q.scale;
  const rem = ((exp % 3) + 3) % 3;
  if (rem !== 0) {
    mantissa *= pow10(rem);
    exp -= rem;
  }
  if (format === 'DecimalExponent') return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
  const suffix = SUFFIX_BY_EXPONENT.get(exp);
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${exp}`;
}

/** Canonical form of a quantity string, or the input unchanged when it does not parse. */
export function canonicalQuantity(s: string): string {
  const q = parseQuantity(s);
  return q ? formatQuantity(q) : s;
}
