// GET /containerLogs: CRI files to plain text, with tail, timestamps, previous, since,
// limitBytes and follow (which ends when the container attempt stops).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startNodeFixture, type NodeFixture } from './node-fixture.js';
import { waitFor } from '../../support/wait.js';
import type { FakeContainer } from './fake-runtime.js';

let node: NodeFixture;
let web: FakeContainer;

before(async () => {
  node = await startNodeFixture();
  web = node.runtime.add({ namespace: 'default', pod: 'web-0', name: 'nginx', sandboxId: 'sb1', attempt: 1, previousAttempt: 0, running: true });
  node.runtime.writeLog(web, 0, [{ text: 'first run' }]);
  node.runtime.writeLog(web, 1, [
    { text: 'one', at: new Date('2024-05-01T10:00:00.000Z') },
    { text: 'two', stream: 'stderr', at: new Date('2024-05-01T10:00:01.000Z') },
    { text: 'thr', partial: true, at: new Date('2024-05-01T10:00:02.000Z') },
    { text: 'ee', at: new Date('2024-05-01T10:00:02.500Z') },
  ]);
});
after(() => node.close());

interface Answer { status: number; body: string; contentType?: string }

function get(path: string, token = node.token, onChunk?: (text: string) => void, onHeaders?: () => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: node.port, path, ca: node.ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      onHeaders?.();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        onChunk?.(body);
      });
      res.on('end', () => resolve({ status: res.statusCode!, body, contentType: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

const base = '/containerLogs/default/web-0/nginx';

test('logs are the payload of every entry, partial lines joined, as text/plain', async () => {
  const r = await get(base);
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'text/plain');
  assert.equal(r.body, 'one\ntwo\nthree\n');
});

test('tailLines, timestamps, sinceTime and limitBytes', async () => {
  assert.equal((await get(`${base}?tailLines=1`)).body, 'ee\n');
  assert.equal((await get(`${base}?tailLines=0`)).body, '');
  assert.equal((await get(`${base}?tailLines=99`)).body, 'one\ntwo\nthree\n');
  assert.equal((await get(`${base}?tailLines=2&timestamps=true`)).body, '2024-05-01T10:00:02.000000000Z thr2024-05-01T10:00:02.500000000Z ee\n');
  assert.equal((await get(`${base}?sinceTime=2024-05-01T10:00:01Z`)).body, 'two\nthree\n');
  assert.equal((await get(`${base}?limitBytes=6`)).body, 'one\ntw');
  assert.equal((await get(`${base}?tailLines=-1`)).status, 400);
});

test('previous reads the earlier attempt, or says there is none', async () => {
  assert.equal((await get(`${base}?previous=true`)).body, 'first run\n');
  node.runtime.add({ namespace: 'default', pod: 'fresh', name: 'c', sandboxId: 'sb2', attempt: 0, running: true });
  const none = await get('/containerLogs/default/fresh/c?previous=true');
  assert.equal(none.status, 400);
  assert.match(none.body, /previous terminated container \\"c\\" in pod \\"fresh\\" not found/);
});

test('a container that has not started answers with its waiting reason; unknown ones 404; no token 401', async () => {
  node.runtime.add({ namespace: 'default', pod: 'pending', name: 'c', sandboxId: 'sb3', running: false, waitingReason: 'ContainerCreating' });
  const waiting = await get('/containerLogs/default/pending/c');
  assert.equal(waiting.status, 400);
  assert.match(waiting.body, /container \\"c\\" in pod \\"pending\\" is waiting to start: ContainerCreating/);
  assert.equal((await get('/containerLogs/default/web-0/other')).status, 404);
  assert.equal((await get(base, 'wrong')).status, 401);
});

test('follow streams appended lines and ends when the attempt stops', async () => {
  const c = node.runtime.add({ namespace: 'default', pod: 'follow', name: 'c', sandboxId: 'sb4', attempt: 0, running: true });
  node.runtime.writeLog(c, 0, [{ text: 'before' }]);
  let seen = '';
  const done = get('/containerLogs/default/follow/c?follow=true', node.token, (b) => (seen = b));
  await waitFor(() => seen.includes('before\n'), { what: 'the existing line' });
  node.runtime.writeLog(c, 0, [{ text: 'appended' }]);
  await waitFor(() => seen.includes('appended\n'), { what: 'the appended line' });
  // Written just before the stop: must still be delivered.
  node.runtime.writeLog(c, 0, [{ text: 'last words' }]);
  c.running = false;
  const r = await done;
  assert.equal(r.body, 'before\nappended\nlast words\n');
});

test('follow on a container that has not written yet waits for its file', async () => {
  const c = node.runtime.add({ namespace: 'default', pod: 'quiet', name: 'c', sandboxId: 'sb5', attempt: 0, running: true });
  let seen = '';
  let answered = false;
  const done = get('/containerLogs/default/quiet/c?follow=1', node.token, (b) => (seen = b), () => (answered = true));
  // The headers go out before the server looks for the file, so it is certainly missing then.
  await waitFor(() => answered, { what: 'the response headers' });
  node.runtime.writeLog(c, 0, [{ text: 'hello' }]);
  await waitFor(() => seen.includes('hello\n'), { what: 'the first line' });
  c.running = false;
  assert.equal((await done).body, 'hello\n');
});
