// Minimal protobuf wire-format reader: just enough to walk the messages kubectl sends.
// Unknown fields are skipped by wire type so newer clients that add fields still decode.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtobufDecodeError extends Error {}

export interface Field {
  num: number;
  wire: number;
  /** Varint value (wire type 0) as bigint so int64 never loses precision silently. */
  varint?: bigint;
  /** Payload of a length-delimited field (wire type 2), or the raw 4/8 bytes of fixed fields. */
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufDecodeError('unexpected end of data in varint');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
  throw new ProtobufDecodeError('varint overflow');
}

function take(buf: Buffer, pos: number, n: number): Buffer {
  if (n < 0 || pos + n > buf.length) throw new ProtobufDecodeError('unexpected end of data');
  return buf.subarray(pos, pos + n);
}

/** Splits one message into its fields, in wire order (repeated fields appear once per element). */
export function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (num === 0) throw new ProtobufDecodeError('illegal field number 0');
    switch (wire) {
      case WIRE_VARINT: {
        const [v, p] = readVarint(buf, pos);
        pos = p;
        fields.push({ num, wire, varint: v });
        break;
      }
      case WIRE_I64:
        fields.push({ num, wire, bytes: take(buf, pos, 8) });
        pos += 8;
        break;
      case WIRE_LEN: {
        const [len, p] = readVarint(buf, pos);
        const n = Number(len);
        fields.push({ num, wire, bytes: take(buf, p, n) });
        pos = p + n;
        break;
      }
      case WIRE_I32:
        fields.push({ num, wire, bytes: take(buf, pos, 4) });
        pos += 4;
        break;
      default:
        // Groups (3/4) are proto1 leftovers that Kubernetes never emits.
        throw new ProtobufDecodeError(`unsupported wire type ${wire} for field ${num}`);
    }
  }
  return fields;
}

// Typed accessors. Each checks the wire type so a malformed body fails loudly instead of
// being misread.

export function str(f: Field): string {
  if (f.wire !== WIRE_LEN) throw new ProtobufDecodeError(`field ${f.num}: expected string`);
  return f.bytes!.toString('utf8');
}

export function bytes(f: Field): Buffer {
  if (f.wire !== WIRE_LEN) throw new ProtobufDecodeError(`field ${f.num}: expected bytes`);
  return f.bytes!;
}

export function msg(f: Field): Field[] {
  return readFields(bytes(f));
}

/** int32/int64 (two's complement varints; negative int32 is sign-extended to 64 bits). */
export function int(f: Field): number {
  if (f.wire !== WIRE_VARINT) throw new ProtobufDecodeError(`field ${f.num}: expected varint`);
  return Number(BigInt.asIntN(64, f.varint!));
}

export function bool(f: Field): boolean {
  return int(f) !== 0;
}

/** Decodes a `map<string, V>` entry (key = 1, value = 2); absent parts are zero values. */
export function mapEntry<V>(f: Field, value: (f: Field) => V, zero: V): [string, V] {
  let k = '';
  let v = zero;
  for (const e of msg(f)) {
    if (e.num === 1) k = str(e);
    else if (e.num === 2) v = value(e);
  }
  return [k, v];
}
