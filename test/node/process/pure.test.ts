// Pure parts of the process runtime: the image table, mountinfo parsing, sandbox paths.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCommandFor, imageRepository } from '../../../src/node/runtime/process/images.js';
import { mountsUnder, parseMountInfo } from '../../../src/node/runtime/process/mount-table.js';
import { containerLogPath, sandboxPaths } from '../../../src/node/runtime/process/paths.js';
import { setprivArgs } from '../../../src/node/runtime/process/capabilities.js';

test('image table: nginx variants serve /usr/share/nginx/html on port 80; unknown images have no default', () => {
  const nginx = ['python3', '-m', 'http.server', '80', '--directory', '/usr/share/nginx/html'];
  for (const image of ['nginx', 'nginx:1.25', 'docker.io/library/nginx:latest', 'k8s.gcr.io/nginx-slim:0.8', 'registry.k8s.io/nginx-slim@sha256:abc']) {
    assert.deepEqual(defaultCommandFor(image), nginx, image);
  }
  assert.deepEqual(defaultCommandFor('python:3.12'), ['python3']);
  assert.equal(defaultCommandFor('example.com/team/app:v1'), undefined);
  assert.equal(defaultCommandFor('nginx-custom'), undefined);
  assert.equal(imageRepository('localhost:5000/nginx:1'), 'localhost:5000/nginx');
});

test('mountinfo parsing: escaped paths, and mounts under a dir deepest first', () => {
  const text = [
    '22 1 8:1 / / rw - ext4 /dev/vda rw',
    '40 22 0:50 / /data/sb/root rw - overlay overlay rw',
    '41 40 0:51 / /data/sb/root/proc rw - proc proc rw',
    '42 40 0:52 / /data/sb/root/my\\040dir rw - tmpfs tmpfs rw',
    '43 22 0:53 / /data/sbx rw - tmpfs tmpfs rw',
  ].join('\n');
  const table = parseMountInfo(text);
  assert.equal(table[3]!.mountPoint, '/data/sb/root/my dir');
  assert.deepEqual(
    mountsUnder(table, '/data/sb').map((m) => m.mountPoint),
    ['/data/sb/root/my dir', '/data/sb/root/proc', '/data/sb/root'],
  );
});

test('sandbox paths stay inside the data dir and refuse odd pod uids', () => {
  const p = sandboxPaths('/var/lib/o', 'abc-123');
  assert.equal(p.root, '/var/lib/o/sandboxes/abc-123/root');
  assert.equal(containerLogPath(p, 'web', 2), '/var/lib/o/sandboxes/abc-123/logs/web/2.log');
  assert.throws(() => sandboxPaths('/var/lib/o', '../etc'));
  assert.throws(() => sandboxPaths('/var/lib/o', ''));
});

test('exec keeps the default container capabilities only', () => {
  const [flag, set, inh, none] = setprivArgs();
  assert.deepEqual([flag, inh, none], ['--bounding-set', '--inh-caps', '-all']);
  assert.ok(set!.startsWith('-all,+chown,'));
  assert.ok(!set!.includes('sys_admin'));
});
