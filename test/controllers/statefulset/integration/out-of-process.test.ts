// `ordinal controllers --kubeconfig FILE` runs the StatefulSet controller over HTTPS against
// a separate `ordinal up` whose own statefulset controller is switched off.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, startServer, type TestServer } from '../../../support/server.js';
import { makeTempDir, trackProcess } from '../../../support/temp.js';
import { waitFor } from '../../../support/wait.js';
import { applySet, namespaceWithReadiness } from './harness.js';

interface Spawned { proc: ChildProcess; out(): string; exited: Promise<number | null> }

function ordinal(args: string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const proc = spawn(process.execPath, [join(repoRoot(), 'bin', 'ordinal.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '', ...env },
  });
  trackProcess(proc);
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, out: () => out, exited };
}

let server: TestServer;
before(async () => { server = await startServer({ extraArgs: ['--disable', 'statefulset,history,scheduler,node'] }); });
after(async () => { await server?.dispose(); });

test('--kubeconfig is required, even when $KUBECONFIG names a valid file', async () => {
  for (const env of [{}, { KUBECONFIG: server.kubeconfig }]) {
    const run = ordinal(['controllers'], env);
    assert.equal(await run.exited, 2, run.out());
    assert.match(run.out(), /ordinal controllers: --kubeconfig FILE is required \(ordinal controllers never falls back to ~\/\.kube\/config or \$KUBECONFIG\)/);
  }
  const missing = ordinal(['controllers', '--kubeconfig', join(makeTempDir(), 'nope')]);
  assert.equal(await missing.exited, 2, missing.out());
  assert.match(missing.out(), /--kubeconfig .*nope: no such file/);
});

test('ordinal up refuses an unknown component in --disable', async () => {
  const dir = makeTempDir();
  const run = ordinal(['up', '--data-dir', dir, '--listen', '127.0.0.1:0', '--write-kubeconfig', join(dir, 'kc'), '--disable', 'scheduler,kubelet']);
  assert.notEqual(await run.exited, 0);
  assert.match(run.out(), /unknown component "kubelet"; known: statefulset, history, garbagecollector, namespace, serviceaccount, volume, endpointslice, scheduler, node, dns/);
});

test('against `ordinal up --disable statefulset,history`, the out-of-process controller creates the pods in order', async () => {
  const ns = 'remote';
  const pods = await namespaceWithReadiness(server, ns);
  let ctl: Spawned | undefined;
  try {
    await applySet(server, { ns, replicas: 3 });
    // The server's own controller is off: nothing happens.
    await pods.expectNone((e) => e.type === 'ADDED', 1000, 'pods with the statefulset controller disabled');

    // A copy of the kubeconfig in a directory of its own, so the command reads exactly that file.
    const kc = join(makeTempDir(), 'remote.kubeconfig');
    copyFileSync(server.kubeconfig, kc);
    ctl = ordinal(['controllers', '--kubeconfig', kc, '--workers', '2']);
    await waitFor(() => /ordinal controllers ready: statefulset, history against https:\/\/127\.0\.0\.1:\d+ \(workers 2\)\n/.test(ctl!.out()), {
      timeoutMs: 15_000, what: 'the ready line',
    }).catch((err: Error) => { throw new Error(`${err.message}; output: ${ctl!.out()}`); });

    for (let i = 0; i < 3; i++) {
      await pods.waitAdded(`web-${i}`);
      if (i < 2) await pods.expectNone((e) => e.type === 'ADDED' && e.name === `web-${i + 1}`, 500, `web-${i + 1} before web-${i} is Ready`);
      await pods.markReady(`web-${i}`);
    }
    assert.deepEqual(pods.addedOrder(), ['web-0', 'web-1', 'web-2']);
    await waitFor(async () => {
      const s = (await server.api().get(`/apis/apps/v1/namespaces/${ns}/statefulsets/web`)).json;
      return s.status?.readyReplicas === 3 && s.status?.availableReplicas === 3;
    }, { what: 'status readyReplicas 3 written over HTTPS' });

    ctl.proc.kill('SIGTERM');
    assert.equal(await ctl.exited, 0, ctl.out());
  } finally {
    pods.stop();
    if (ctl && ctl.proc.exitCode === null) ctl.proc.kill('SIGKILL');
  }
});
