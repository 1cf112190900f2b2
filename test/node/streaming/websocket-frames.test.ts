import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE, WsFrameParser, WsProtocolError, acceptKey, encodeFrame } from '../../../src/node/streaming/websocket-frames.js';

test('accept key matches the RFC 6455 example', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('masked client frames of every length class round-trip through the server parser', () => {
  const mask = Buffer.from([1, 2, 3, 4]);
  for (const len of [0, 1, 125, 126, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(len, 0xab);
    const frame = encodeFrame(OPCODE.binary, payload, { mask });
    const parser = new WsFrameParser(true);
    // Byte by byte for small frames exercises every partial-header state.
    const frames = len < 200 ? [...frame].flatMap((b) => parser.push(Buffer.from([b]))) : parser.push(frame);
    assert.equal(frames.length, 1, `len ${len}`);
    assert.equal(frames[0]!.opcode, OPCODE.binary);
    assert.equal(frames[0]!.fin, true);
    assert.deepEqual(frames[0]!.payload, payload);
  }
});

test('the parser splits several frames arriving in one chunk and keeps a partial one', () => {
  const p = new WsFrameParser(false);
  const a = encodeFrame(OPCODE.binary, Buffer.from([1, 0x68, 0x69]));
  const b = encodeFrame(OPCODE.text, Buffer.from('abc'), { fin: false });
  const c = encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8]));
  const all = Buffer.concat([a, b, c]);
  const first = p.push(all.subarray(0, all.length - 1));
  assert.deepEqual(first.map((f) => [f.opcode, f.fin, f.payload.toString('latin1')]), [
    [OPCODE.binary, true, '\x01hi'],
    [OPCODE.text, false, 'abc'],
  ]);
  const rest = p.push(all.subarray(all.length - 1));
  assert.equal(rest.length, 1);
  assert.equal(rest[0]!.payload.readUInt16BE(0), 1000);
});

test('a server refuses unmasked client frames, oversized control frames and reserved bits', () => {
  assert.throws(() => new WsFrameParser(true).push(encodeFrame(OPCODE.binary, Buffer.from('x'))), WsProtocolError);
  const longPing = encodeFrame(OPCODE.ping, Buffer.alloc(126), { mask: Buffer.alloc(4) });
  assert.throws(() => new WsFrameParser(true).push(longPing), /control frame/);
  const rsv = encodeFrame(OPCODE.binary, Buffer.from('x'), { mask: Buffer.alloc(4) });
  rsv[0] = rsv[0]! | 0x40;
  assert.throws(() => new WsFrameParser(true).push(rsv), /reserved/);
});
