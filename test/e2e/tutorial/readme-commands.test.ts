// README.md's Tutorial section, run command by command as a user would type it, so that the
// README and ordinal's behaviour cannot drift apart. The commands are rewritten to be safe:
// a temporary HOME (so ~/.ordinal and ~/tutorial are temporary), `npm start` becomes
// `ordinal up` on port 0 with free pod and service ranges, and `kubectl` is a wrapper with
// an explicit --kubeconfig and --cache-dir. Setup blocks never run. Each command must exit
// 0 and, unless its block is marked <!-- output varies -->, print what the README shows
// (up to ages, uids, addresses and line order: see readme-script.ts).
//
// ORDINAL_README_CAPTURE=FILE writes every command's real output to FILE, to refresh the
// README.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubectlBinary } from '../../support/kubectl.js';
import { repoRoot, spawnOrdinal } from '../../support/server.js';
import { makeTempDir, removeTempDir, trackProcess } from '../../support/temp.js';
import { waitFor } from '../../support/wait.js';
import { pickFreeRanges } from '../../node/network/host-support.js';
import { isBackground, normalizeLine, normalizeOutput, readTutorialSteps, type CommandStep } from './readme-script.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the process runtime)' : false;
const CAPTURE = process.env.ORDINAL_README_CAPTURE;

interface Background { step: CommandStep; output(): string; stop(): Promise<void> }

function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; out: string }> {
  const proc = spawn('bash', ['-o', 'pipefail', '-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackProcess(proc);
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe("README's Tutorial commands", { skip }, () => {
  const root = makeTempDir('ordinal-readme-');
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  const dataDir = join(home, '.ordinal');
  const kubeconfig = join(dataDir, 'kubeconfig');
  const backgrounds: Background[] = [];
  let stopServer: (() => Promise<void>) | undefined;
  let cwd = repoRoot();
  let ranges: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}` };
  delete env.KUBECONFIG;

  before(async () => {
    mkdirSync(home, { recursive: true });
    mkdirSync(bin, { recursive: true });
    const wrapper = join(bin, 'kubectl');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${kubectlBinary('1.33')} --kubeconfig ${kubeconfig} --cache-dir ${join(root, 'kube-cache')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    ranges = await pickFreeRanges(2);
    if (CAPTURE) writeFileSync(CAPTURE, '');
  });

  after(async () => {
    for (const b of backgrounds.splice(0)) await b.stop();
    await stopServer?.();
    removeTempDir(root);
  });

  const where = (s: { line: number; command?: string }) => `README.md:${s.line}${s.command ? ` \`${s.command}\`` : ''}`;

  async function startOrdinal(step: CommandStep): Promise<void> {
    let output = '';
    const args = ['up', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--pod-cidr', ranges[0]!, '--service-cidr', ranges[1]!];
    const running = await spawnOrdinal(args, (s) => (output += s));
    stopServer = async () => {
      if (running.proc.exitCode === null && running.proc.signalCode === null) running.proc.kill('SIGTERM');
      const killer = setTimeout(() => running.proc.kill('SIGKILL'), 20_000);
      await running.exited;
      clearTimeout(killer);
      stopServer = undefined;
    };
    const ready = output.split('\n').find((l) => l.startsWith('ordinal ready'))!;
    if (CAPTURE) appendFileSync(CAPTURE, `$ ${step.command}\n${output.replaceAll(home, '/root')}\n`);
    const shownReady = step.shown.find((l) => l.startsWith('ordinal ready'));
    assert.ok(shownReady, `${where(step)}: the README shows the ready line`);
    if (!CAPTURE) assert.equal(normalizeLine(ready, home), normalizeLine(shownReady));
  }

  function startWatch(step: CommandStep): void {
    const proc = spawn('bash', ['-c', `exec ${step.command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackProcess(proc);
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const closed = new Promise<void>((r) => proc.once('close', () => r()));
    backgrounds.push({
      step,
      output: () => out,
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
        await closed;
      },
    });
  }

  async function stopWatch(line: number): Promise<void> {
    const b = backgrounds.pop();
    assert.ok(b, `README.md:${line}: <!-- stop-watch --> without a watch running`);
    const shown = b.step.shown.filter((l) => l.trim() && l.trim() !== '^C').map((l) => normalizeLine(l));
    const last = shown[shown.length - 1] ?? 'capture: no README output yet';
    const seen = () => b.output().split('\n').map((l) => normalizeLine(l, home));
    // Capturing for a README without output yet: stop once the last pod is Running.
    const done = () => (shown.length ? seen().includes(last) : /-2\s+1\/1\s+Running/.test(b.output()));
    await waitFor(done, { timeoutMs: 120_000, what: `${where(b.step)} to show "${last}"; it showed:\n${b.output()}` });
    await b.stop();
    if (CAPTURE) appendFileSync(CAPTURE, `$ ${b.step.command}\n${b.output()}^C\n\n`);
    if (CAPTURE && !shown.length) return;
    // The README's ADDED rows and its last row appear, in the README's order.
    const expected = shown.filter((l, i) => i === 0 || l.startsWith('ADDED') || l === last);
    let from = 0;
    const actual = seen();
    for (const e of expected) {
      const at = actual.indexOf(e, from);
      assert.ok(at >= 0, `${where(b.step)}: "${e}" missing or out of order in:\n${b.output()}`);
      from = at + 1;
    }
  }

  test('every command of the Tutorial section runs and prints what the README shows', { timeout: 600_000 }, async () => {
    const steps = readTutorialSteps(join(repoRoot(), 'README.md'));
    const commands = steps.filter((s): s is CommandStep => s.kind === 'command' && !s.setup);
    assert.ok(commands.some((s) => s.command === 'npm start'), 'the Tutorial starts ordinal with npm start');
    assert.ok(commands.length > 20, 'the Tutorial has its commands');
    for (const step of steps) {
      if (step.kind === 'stop-watch') {
        await stopWatch(step.line);
        continue;
      }
      if (step.setup) continue;
      const { command } = step;
      if (command === 'npm start') {
        await startOrdinal(step);
        continue;
      }
      if (isBackground(command)) {
        startWatch(step);
        continue;
      }
      const exported = /^export (\w+)=(\S+)$/.exec(command);
      if (exported) {
        const value = (await runShell(`printf %s ${exported[2]}`, cwd, env)).out;
        if (exported[1] === 'KUBECONFIG') assert.equal(value, kubeconfig, `${where(step)}: the kubeconfig ordinal writes`);
        env[exported[1]!] = value;
        continue;
      }
      const cd = /^cd (\S+)$/.exec(command);
      if (cd) {
        const r = await runShell(`cd ${cd[1]} && pwd`, cwd, env);
        assert.equal(r.code, 0, `${where(step)}: ${r.out}`);
        cwd = r.out.trim();
        continue;
      }
      const r = await runShell(command, cwd, env);
      if (CAPTURE) appendFileSync(CAPTURE, `$ ${command}\n${r.out}\n`);
      assert.equal(r.code, 0, `${where(step)} exited ${r.code}:\n${r.out}`);
      if (!step.varies && !(CAPTURE && !step.shown.length)) {
        assert.deepEqual(normalizeOutput(r.out.split('\n'), home), normalizeOutput(step.shown), `${where(step)} printed:\n${r.out}`);
      }
    }
    assert.equal(backgrounds.length, 0, 'every watch the README starts is stopped');
  });
});
