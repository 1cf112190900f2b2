import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDeflate, createInflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../../src/node/streaming/spdy-dictionary.js';
import {
  HeaderBlockCompressor, HeaderBlockDecompressor, adler32, decodeNameValues, encodeNameValues,
} from '../../../src/node/streaming/spdy-header-block.js';
import {
  SpdyFrameParser, encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSettings, encodeSynReply, encodeSynStream, encodeWindowUpdate,
} from '../../../src/node/streaming/spdy-frames.js';

test('the SPDY/3 dictionary has its published size and shape; our Adler-32 is zlib\'s', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('*,enq=0.'));
  // The known Adler-32 of "Wikipedia"; a wrong DICTID would also fail the zlib interop tests below.
  assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
});

test('name/value blocks round-trip, lower-case names, and split NUL-joined values', () => {
  const raw = encodeNameValues([['StreamType', 'data'], ['port', '80'], ['requestid', '0']]);
  assert.deepEqual(decodeNameValues(raw), [['streamtype', 'data'], ['port', '80'], ['requestid', '0']]);
  const multi = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), Buffer.from('a'), Buffer.from([0, 0, 0, 3]), Buffer.from('x\0y')]);
  assert.deepEqual(decodeNameValues(multi), [['a', 'x'], ['a', 'y']]);
  assert.throws(() => decodeNameValues(Buffer.from([0, 0, 0, 2, 0, 0, 0])), /truncated/);
});

/** What Go's spdystream does: one zlib stream per direction, best compression, a sync flush per block. */
async function goStyleBlocks(blocks: Buffer[]): Promise<Buffer[]> {
  const d = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const result: Buffer[] = [];
  for (const b of blocks) {
    d.write(b);
    await new Promise<void>((r) => d.flush(constants.Z_SYNC_FLUSH, () => r()));
    result.push(Buffer.concat(out.splice(0)));
  }
  d.end();
  return result;
}

test('header blocks compressed as a real zlib deflater does decode block by block, state carried', async () => {
  const headerSets: [string, string][][] = [
    [['streamtype', 'error'], ['port', '80'], ['requestid', '0']],
    [['streamtype', 'data'], ['port', '80'], ['requestid', '0']],
    [['streamtype', 'error'], ['port', '80'], ['requestid', '1']],
    // Large enough to move the window and use long back-references.
    [['x-big', 'abc'.repeat(15_000)], ['streamtype', 'stdout']],
    [['streamtype', 'data'], ['port', '8080'], ['requestid', '2']],
  ];
  const compressed = await goStyleBlocks(headerSets.map(encodeNameValues));
  const dec = new HeaderBlockDecompressor();
  for (let i = 0; i < headerSets.length; i++) {
    assert.deepEqual(decodeNameValues(dec.decompress(compressed[i]!)), headerSets[i]);
  }
});

test('our compressed blocks inflate with zlib and the SPDY dictionary, block by block', async () => {
  const c = new HeaderBlockCompressor();
  const sets: [string, string][][] = [[], [['streamtype', 'stdout']], [['big', 'z'.repeat(70_000)]]];
  const inf = createInflate({ dictionary: SPDY3_DICTIONARY });
  const got: Buffer[] = [];
  inf.on('data', (d: Buffer) => got.push(d));
  for (const s of sets) {
    inf.write(c.compress(encodeNameValues(s)));
    await new Promise<void>((r) => inf.flush(constants.Z_SYNC_FLUSH, () => r()));
    assert.deepEqual(decodeNameValues(Buffer.concat(got.splice(0))), s);
  }
  // And our own decompressor reads them too.
  const c2 = new HeaderBlockCompressor();
  const d2 = new HeaderBlockDecompressor();
  for (const s of sets) assert.deepEqual(decodeNameValues(d2.decompress(c2.compress(encodeNameValues(s)))), s);
});

test('every frame type round-trips through the incremental parser', () => {
  const block = Buffer.from('header-block');
  const wire = Buffer.concat([
    encodeSynStream(1, block, { fin: true, priority: 3 }),
    encodeSynReply(2, block),
    encodeData(3, Buffer.from('payload')),
    encodeData(3, Buffer.alloc(0), true),
    encodeRstStream(5, 5),
    encodeSettings([{ flags: 1, id: 7, value: 65536 }]),
    encodePing(9),
    encodeWindowUpdate(3, 1000),
    encodeGoAway(7),
  ]);
  const p = new SpdyFrameParser();
  const frames = [...wire].flatMap((b) => p.push(Buffer.from([b])));
  assert.deepEqual(
    frames.map((f) => ({ ...f, ...('headerBlock' in f ? { headerBlock: f.headerBlock.toString() } : {}), ...('data' in f ? { data: f.data.toString() } : {}) })),
    [
      { type: 'synStream', streamId: 1, associatedId: 0, priority: 3, fin: true, unidirectional: false, headerBlock: 'header-block' },
      { type: 'synReply', streamId: 2, fin: false, headerBlock: 'header-block' },
      { type: 'data', streamId: 3, fin: false, data: 'payload' },
      { type: 'data', streamId: 3, fin: true, data: '' },
      { type: 'rstStream', streamId: 5, status: 5 },
      { type: 'settings', entries: [{ flags: 1, id: 7, value: 65536 }] },
      { type: 'ping', id: 9 },
      { type: 'windowUpdate', streamId: 3, delta: 1000 },
      { type: 'goAway', lastStreamId: 7, status: 0 },
    ],
  );
});

test('the SPDY/3 control frame header matches the captured bytes (80 03 00 01 …)', () => {
  const f = encodeSynStream(1, Buffer.alloc(0));
  assert.deepEqual([...f.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01]);
  assert.equal(f.readUInt32BE(4) & 0xffffff, 10);
});
