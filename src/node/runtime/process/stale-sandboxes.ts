// Finding and removing what a previous run of an instance left behind: shims that no record
// explains (a crash between spawning one and recording it), and, for `ordinal cleanup`,
// everything of the process runtime in a data dir.

import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { cleanupNetwork, type CleanupReport } from './network/index.js';
import { discoverCgroupRoots, recordedCgroupRoots, removeCgroupTree } from './cgroups.js';
import { instanceIdFor } from './network/index.js';
import { isSameProcess, killProcess, pidsWithCmdline, processStartTime, waitProcessGone } from './host-process.js';
import { unmountUnder } from './mount-table.js';
import { runtimeDir, sandboxPaths, sandboxesDir, shimScriptPath } from './paths.js';
import { removeTreeOneFs } from './remove-tree.js';
import { readRecord } from './sandbox-record.js';

/**
 * SIGKILLs processes running this data dir's shim script for a sandbox not in `keep`
 * (or only for `onlyDir`), and waits for them to go. Returns the PIDs killed.
 */
export async function killStrayShims(dataDir: string, keep: Set<string>, onlyDir?: string): Promise<number[]> {
  const script = shimScriptPath(dataDir);
  const killed: number[] = [];
  for (const pid of pidsWithCmdline(`${script} `)) {
    if (pid === process.pid) continue;
    const start = processStartTime(pid);
    const dir = await cmdlineLastArg(pid);
    if (!start || !dir) continue;
    const uid = dir.slice(sandboxesDir(dataDir).length + 1);
    if (onlyDir ? dir !== onlyDir : keep.has(uid)) continue;
    if (killProcess(pid)) killed.push(pid);
    await waitProcessGone(pid, start, 5000);
  }
  return killed;
}

async function cmdlineLastArg(pid: number): Promise<string | undefined> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    return args[args.length - 1];
  } catch {
    return undefined;
  }
}

export interface RuntimeCleanupReport {
  killedShims: number[];
  removedSandboxes: string[];
  removedCgroups: string[];
  unmounted: string[];
  /** Paths left in place because something is still mounted there. */
  left: string[];
  network: CleanupReport;
}

/** Removes every sandbox, shim, mount, cgroup and network object of the instance using `dataDir`. */
export async function cleanupProcessRuntime(dataDir: string): Promise<RuntimeCleanupReport> {
  const report: RuntimeCleanupReport = { killedShims: [], removedSandboxes: [], removedCgroups: [], unmounted: [], left: [], network: undefined! };
  const uids = await readdir(sandboxesDir(dataDir)).catch(() => [] as string[]);
  for (const uid of uids) {
    const record = await readRecord(sandboxPaths(dataDir, uid).record).catch(() => undefined);
    if (record?.shim && isSameProcess(record.shim.hostPid, record.shim.startTime) && killProcess(record.shim.hostPid)) {
      report.killedShims.push(record.shim.hostPid);
      await waitProcessGone(record.shim.hostPid, record.shim.startTime, 10_000);
    }
  }
  report.killedShims.push(...(await killStrayShims(dataDir, new Set())));
  for (const root of new Set([...recordedCgroupRoots(dataDir), ...discoverCgroupRoots(instanceIdFor(dataDir))])) {
    if (!existsSync(root)) continue;
    try {
      await removeCgroupTree(root);
      report.removedCgroups.push(root);
    } catch {
      report.left.push(root);
    }
  }
  report.network = await cleanupNetwork(dataDir, { killProcesses: true });
  report.unmounted.push(...(await unmountUnder(sandboxesDir(dataDir))), ...(await unmountUnder(runtimeDir(dataDir))));
  for (const uid of uids) {
    const left = await removeTreeOneFs(sandboxPaths(dataDir, uid).dir);
    if (left.length) report.left.push(...left);
    else report.removedSandboxes.push(uid);
  }
  report.left.push(...(await removeTreeOneFs(sandboxesDir(dataDir))));
  report.left.push(...(await removeTreeOneFs(runtimeDir(dataDir))));
  return report;
}
