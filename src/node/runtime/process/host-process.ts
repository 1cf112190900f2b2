// Host processes by PID, guarded against PID reuse with the start time from /proc/<pid>/stat:
// a recorded shim PID is only "ours" while both match.

import { readFileSync, readdirSync } from 'node:fs';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined if gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined; // a zombie is already gone for us
    return rest[19];
  } catch {
    return undefined;
  }
}

export function isSameProcess(pid: number, startTime: string): boolean {
  return pid > 1 && processStartTime(pid) === startTime;
}

export function killProcess(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  if (pid <= 1) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone (or a zombie); false when the deadline passed first. */
export async function waitProcessGone(pid: number, startTime: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isSameProcess(pid, startTime)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** PIDs of host processes whose command line contains `needle` (used to find stray shims). */
export function pidsWithCmdline(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) out.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
