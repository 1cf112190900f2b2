// Temp dirs and child processes that must not outlive the test process,
// even when a test throws before its own cleanup runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

const dirs = new Set<string>();
const procs = new Set<ChildProcess>();

export function makeTempDir(prefix = 'ordinal-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

export function trackProcess(proc: ChildProcess): void {
  procs.add(proc);
  proc.once('exit', () => procs.delete(proc));
}

function killAllTracked(): void {
  for (const p of procs) {
    if (p.exitCode === null && p.signalCode === null) {
      try { p.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  procs.clear();
}

// 'exit' handlers must be synchronous: signals and rmSync are.
process.once('exit', () => {
  killAllTracked();
  for (const d of dirs) {
    try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { killAllTracked(); process.exit(130); });
}
