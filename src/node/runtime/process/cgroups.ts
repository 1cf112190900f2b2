// Resource limits and container membership through cgroup v1 (memory, cpu, pids, devices),
// as root. Layout per controller: <ordinal's own cgroup>/ordinal-<instance>/pod-<uid>/<container>.
// The instance roots are recorded in the data dir, because a later `ordinal cleanup` may run
// in another cgroup than the instance it cleans. Where v1 controllers are missing or not
// writable (non-root, pure cgroup v2 hosts), limits are best effort: `message` says why once.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResourceLimits } from '../types.js';
import { runtimeDir } from './paths.js';

export const CONTROLLERS = ['memory', 'cpu', 'pids', 'devices'] as const;
type Controller = (typeof CONTROLLERS)[number];

const CFS_PERIOD_US = 100_000;
/** What a container may open (mknod is allowed; access to other devices is not). */
const DEVICE_ALLOW = ['c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c *:* m', 'b *:* m'];

export interface CgroupMembership {
  /** `cgroup.procs` files to write a PID into. */
  procs: string[];
  oomControl: string | null;
}

export class Cgroups {
  private constructor(
    readonly roots: Partial<Record<Controller, string>>,
    /** Set when limits cannot be enforced: one line for the start-up log. */
    readonly message: string | undefined,
  ) {}

  static detect(instanceId: string, dataDir: string): Cgroups {
    if (process.getuid?.() !== 0) return new Cgroups({}, 'cgroups: not root; resource limits are not enforced');
    const mounts = v1Mounts();
    if (mounts.size === 0) {
      return new Cgroups({}, 'cgroups: no cgroup v1 controllers (cgroup v2 is not supported yet); resource limits are not enforced');
    }
    const own = ownCgroupPaths();
    const roots: Partial<Record<Controller, string>> = {};
    const missing: string[] = [];
    for (const c of CONTROLLERS) {
      const mnt = mounts.get(c);
      if (!mnt) {
        missing.push(c);
        continue;
      }
      const root = path.join(mnt, own.get(c) ?? '/', `ordinal-${instanceId}`);
      try {
        mkdirSync(root, { recursive: true });
        roots[c] = root;
      } catch (err) {
        missing.push(`${c} (${(err as NodeJS.ErrnoException).code})`);
      }
    }
    recordRoots(dataDir, Object.values(roots));
    const message = missing.length ? `cgroups: v1 controllers unavailable: ${missing.join(', ')}; those limits are not enforced` : undefined;
    return new Cgroups(roots, message);
  }

  get enabled(): boolean {
    return Object.keys(this.roots).length > 0;
  }

  /** Creates the pod's cgroups with its limits; the shim joins them. */
  createPod(podUid: string, limits: ResourceLimits | undefined): CgroupMembership {
    const m = this.create((root) => path.join(root, `pod-${podUid}`), limits);
    const devices = this.roots.devices && path.join(this.roots.devices, `pod-${podUid}`);
    if (devices) {
      writeQuietly(path.join(devices, 'devices.deny'), 'a');
      for (const rule of DEVICE_ALLOW) writeQuietly(path.join(devices, 'devices.allow'), rule);
    }
    return m;
  }

  /** A container's cgroups (reused across its attempts) with its own limits. */
  createContainer(podUid: string, name: string, limits: ResourceLimits | undefined): CgroupMembership {
    return this.create((root) => path.join(root, `pod-${podUid}`, name), limits);
  }

  /** SIGKILLs whatever is left in the pod's cgroups, then removes them (deepest first). */
  async removePod(podUid: string): Promise<void> {
    for (const root of Object.values(this.roots)) await removeCgroupTree(path.join(root, `pod-${podUid}`));
  }

  /** Removes the instance's (empty) roots: after a clean shutdown nothing of ours remains. */
  async removeRoots(): Promise<void> {
    for (const root of Object.values(this.roots)) await removeCgroupTree(root);
  }

  private create(dirOf: (root: string) => string, limits: ResourceLimits | undefined): CgroupMembership {
    const procs: string[] = [];
    let oomControl: string | null = null;
    for (const [c, root] of Object.entries(this.roots) as [Controller, string][]) {
      const dir = dirOf(root);
      mkdirSync(dir, { recursive: true });
      procs.push(path.join(dir, 'cgroup.procs'));
      if (c === 'memory') {
        oomControl = path.join(dir, 'memory.oom_control');
        writeQuietly(path.join(dir, 'memory.limit_in_bytes'), limits?.memoryBytes ? String(limits.memoryBytes) : '-1');
      } else if (c === 'cpu') {
        writeQuietly(path.join(dir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
        const quota = limits?.cpuMillis ? Math.max(1000, Math.round((limits.cpuMillis * CFS_PERIOD_US) / 1000)) : -1;
        writeQuietly(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
      } else if (c === 'pids') {
        writeQuietly(path.join(dir, 'pids.max'), limits?.pids ? String(limits.pids) : 'max');
      }
    }
    return { procs, oomControl };
  }
}

/** Kills every task in a cgroup subtree and removes its directories; missing trees are fine. */
export async function removeCgroupTree(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const deadline = Date.now() + 5000;
  for (;;) {
    const pids = tasksIn(dir);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (Date.now() > deadline) throw new Error(`cgroup ${dir} still has tasks ${pids.join(' ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  removeDirs(dir);
}

function tasksIn(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) if (/^\d+$/.test(line)) out.push(Number(line));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
    } catch {
      /* removed meanwhile */
    }
  };
  walk(dir);
  return out;
}

function removeDirs(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeDirs(path.join(dir, e.name));
  rmdirSync(dir);
}

function writeQuietly(file: string, value: string): void {
  try {
    writeFileSync(file, value);
  } catch {
    /* best effort: a controller file that does not exist or refuses the value */
  }
}

/** cgroup v1 mountpoints by controller, from /proc/self/mountinfo. */
function v1Mounts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [fstype, , superOpts] = right.split(' ');
    if (fstype !== 'cgroup') continue;
    const mountPoint = left.split(' ')[4];
    for (const opt of (superOpts ?? '').split(',')) if ((CONTROLLERS as readonly string[]).includes(opt)) out.set(opt, mountPoint);
  }
  return out;
}

/** This process's own cgroup path per v1 controller (so pods nest under ordinal's cgroup). */
function ownCgroupPaths(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (!ctrls || p === undefined) continue;
    for (const c of ctrls.split(',')) out.set(c, p);
  }
  return out;
}

function rootsFile(dataDir: string): string {
  return path.join(runtimeDir(dataDir), 'cgroup-roots.json');
}

function recordRoots(dataDir: string, roots: string[]): void {
  const known = new Set([...recordedCgroupRoots(dataDir), ...roots]);
  mkdirSync(runtimeDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileSync(rootsFile(dataDir), JSON.stringify([...known]) + '\n');
}

/**
 * Where an instance's roots would be, found without the data dir's record (a data dir
 * removed by hand): `ordinal-<id>` at the top of each v1 hierarchy and under this process's
 * own cgroup, where an `ordinal up` started from the same place would have made them.
 */
export function discoverCgroupRoots(instanceId: string): string[] {
  const out: string[] = [];
  let mounts: Map<string, string>;
  let own: Map<string, string>;
  try {
    mounts = v1Mounts();
    own = ownCgroupPaths();
  } catch {
    return out;
  }
  for (const [controller, mnt] of mounts) {
    for (const base of new Set([mnt, path.join(mnt, own.get(controller) ?? '/')])) {
      const candidate = path.join(base, `ordinal-${instanceId}`);
      if (existsSync(candidate)) out.push(candidate);
    }
  }
  return out;
}

/** Every instance root ever recorded for this data dir (for cleanup). */
export function recordedCgroupRoots(dataDir: string): string[] {
  try {
    const roots = JSON.parse(readFileSync(rootsFile(dataDir), 'utf8')) as unknown;
    return Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
