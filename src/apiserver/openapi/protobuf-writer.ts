// Just enough of the protobuf wire format to write a message by hand: varints, strings,
// booleans and nested messages. Each helper returns the bytes of one field.

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0 === n ? n : Math.floor(n);
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

const tag = (field: number, wire: number): Buffer => varint(field * 8 + wire);

function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([tag(field, WIRE_LEN), varint(bytes.length), bytes]);
}

/** A string field; empty strings are left out, as proto3 does. */
export function pbString(field: number, value: string | undefined): Buffer {
  return value ? lengthDelimited(field, Buffer.from(value, 'utf8')) : Buffer.alloc(0);
}

/** A bool field; false is left out, as proto3 does. */
export function pbBool(field: number, value: boolean | undefined): Buffer {
  return value ? Buffer.concat([tag(field, WIRE_VARINT), varint(1)]) : Buffer.alloc(0);
}

/** An embedded message field made of the given encoded fields (written even when empty). */
export function pbMessage(field: number, parts: Buffer[]): Buffer {
  return lengthDelimited(field, Buffer.concat(parts));
}
