// Drives the real kubectl 1.33 (which POSTs protobuf for `create <generator>`) against a
// throwaway HTTP server on 127.0.0.1 that records the request body, then checks that the
// decoder yields exactly what the same kubectl prints for `--dry-run=client -o json`.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeProtobufObject } from '../../src/apiserver/protobuf/decode.js';
import { ensureServingCerts } from '../../src/apiserver/tls.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const skip = existsSync(KUBECTL) ? false : `${KUBECTL} not installed`;

interface Captured {
  contentType: string;
  body: Buffer;
}

let server: Server;
let dir: string;
let kubeconfig: string;
let last: Captured | undefined;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'ordinal-pb-'));
  // Inputs for --from-file / secret tls: non-UTF-8 bytes end up in binaryData, and kubectl
  // insists on a matching certificate/key pair.
  writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 0xfe, 0xff]));
  await ensureServingCerts(dir, { hosts: ['127.0.0.1'] });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        last = { contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) };
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: fake, user: {}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]\ncurrent-context: fake\n`,
  );
});

after(() => {
  if (skip) return;
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function kubectl(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.KUBECONFIG;
  return new Promise((resolve, reject) => {
    execFile(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** What the JSON request body would have been: kubectl's client-side dry-run output. */
async function expectedJson(args: string[]): Promise<Record<string, unknown>> {
  const obj = JSON.parse(await kubectl([...args, '--dry-run=client', '-o', 'json'])) as Record<string, unknown>;
  const meta = obj.metadata as Record<string, unknown>;
  // Go marshals the zero Time as null; a JSON body with that null means "unset", as our omission does.
  if (meta.creationTimestamp === null) delete meta.creationTimestamp;
  return obj;
}

const cases: string[][] = [
  ['create', 'namespace', 'x'],
  ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty='],
  ['create', 'secret', 'generic', 's', '--from-literal=k=v', '--type=example.com/t'],
  ['create', 'secret', 'tls', 't', '--cert=@DIR/pki/server.crt', '--key=@DIR/pki/server.key'],
  ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  ['create', 'configmap', 'bin', '--from-file=blob=@DIR/blob.bin', '--from-literal=text=hi'],
  ['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080'],
  ['create', 'service', 'clusterip', 'hl', '--clusterip=None'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'],
  ['create', 'service', 'loadbalancer', 'lb', '--tcp=443'],
  ['create', 'service', 'externalname', 'en', '--external-name=example.com'],
  ['create', 'serviceaccount', 'sa1'],
];

for (const template of cases) {
  test(`kubectl.1.33 ${template.join(' ')}: protobuf body decodes to the JSON body`, { skip }, async () => {
    last = undefined;
    const args = template.map((a) => a.replace('@DIR', dir));
    await kubectl(args);
    const got = last as Captured | undefined;
    assert.ok(got, 'kubectl sent no POST');
    assert.equal(got.contentType, 'application/vnd.kubernetes.protobuf');
    const decoded = decodeProtobufObject(got.body);
    assert.deepEqual(decoded.object, await expectedJson(args));
  });
}
