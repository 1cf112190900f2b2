// A real crash: a child process writes to a store file as fast as it can and prints each
// acknowledged write; the parent kill -9s it mid-stream, reopens the file and checks that
// every acknowledged write is there, in order, and replayable by a resumed watch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoreEvent } from '../../src/store/types.js';
import { tempDbPath } from './helpers.js';

const storeModule = pathToFileURL(
  resolve(dirname(fileURLToPath(import.meta.url)), '../../src/store/sqlite-store.js'),
).href;

// Creates a pod, then updates it; every 5th pod is deleted afterwards. A line is printed
// only after the call returned, so each line is an acknowledgement.
const writer = `
import { SqliteStore } from ${JSON.stringify(storeModule)};
const s = new SqliteStore(process.argv[1], { compactRetain: 1e9 });
const ack = (op, o) => process.stdout.write(op + ' ' + o.revision + ' ' + o.key + '\\n');
const filler = 'x'.repeat(1800);
for (let i = 0; i < 1e6; i++) {
  const key = '/pods/default/p' + i;
  const obj = { metadata: { name: 'p' + i, namespace: 'default', annotations: { filler } }, spec: { i } };
  ack('create', s.create(key, obj));
  ack('update', s.update(key, { ...obj, status: { phase: 'Running' } }));
  if (i % 5 === 4) ack('delete', s.delete(key));
  if (i % 50 === 0) await new Promise((r) => setImmediate(r));
}
`;

interface Ack {
  op: 'create' | 'update' | 'delete';
  revision: number;
  key: string;
}

function runAndKill(path: string, minAcks: number): Promise<Ack[]> {
  return new Promise((resolveAcks, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killed && out.split('\n').length > minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited ${code}/${signal}: ${err}`));
      // A line without its newline may have been cut by the kill: not an acknowledgement.
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolveAcks(
        complete
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [op, rev, key] = line.split(' ');
            return { op: op as Ack['op'], revision: Number(rev), key };
          }),
      );
    });
  });
}

test('kill -9 of a writing process loses no acknowledged write', async (t) => {
  const path = tempDbPath(t);
  const acks = await runAndKill(path, 400);
  assert.ok(acks.length >= 400, `got ${acks.length} acks`);
  for (let i = 1; i < acks.length; i++) {
    assert.ok(acks[i].revision > acks[i - 1].revision, 'acknowledged revisions strictly increase');
  }

  const s = new SqliteStore(path, { ttlSweepMs: 0, compactEvery: 0 });
  t.after(() => s.close());
  const last = acks[acks.length - 1];
  assert.ok(s.revision >= last.revision, `store revision ${s.revision} < last ack ${last.revision}`);

  // Final state of every key whose last acknowledged write was its last write.
  const lastAckByKey = new Map<string, Ack>();
  for (const a of acks) lastAckByKey.set(a.key, a);
  for (const [key, a] of lastAckByKey) {
    const cur = s.get(key);
    if (a.op === 'delete') {
      assert.equal(cur, undefined, `${key} was deleted at ${a.revision}`);
    } else if (key !== last.key) {
      // The key being written when the kill landed may have a later, unacknowledged write.
      assert.equal(cur?.revision, a.revision, `${key} at its acknowledged revision`);
      assert.equal(cur?.value.metadata.resourceVersion, String(a.revision));
    } else {
      assert.ok(cur === undefined || cur.revision >= a.revision);
    }
  }

  // A watch resumed from an early revision replays every acknowledged write, in order.
  const from = acks[10].revision;
  const events: StoreEvent[] = [];
  s.watch('/pods/', from, (e) => events.push(e));
  const byRevision = new Map(events.map((e) => [e.revision, e]));
  for (let i = 1; i < events.length; i++) assert.ok(events[i].revision > events[i - 1].revision);
  const typeOf = { create: 'ADDED', update: 'MODIFIED', delete: 'DELETED' } as const;
  for (const a of acks.filter((x) => x.revision > from)) {
    const e = byRevision.get(a.revision);
    assert.ok(e, `acknowledged ${a.op} ${a.key}@${a.revision} replayed`);
    assert.equal(e.key, a.key);
    assert.equal(e.type, typeOf[a.op]);
  }
  assert.equal(events[0].revision, from + 1);

  // The store keeps going after recovery without reusing a revision.
  const next = s.create('/pods/default/after-crash', { metadata: { name: 'after-crash' } });
  assert.equal(next.revision, s.revision);
  assert.ok(next.revision > last.revision);
  console.log(`crash test: ${acks.length} acks before kill -9, store recovered at revision ${s.revision - 1}`);
});
