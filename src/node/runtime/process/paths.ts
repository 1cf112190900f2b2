// Where the process runtime keeps its files inside ordinal's data dir. One directory per
// sandbox, named after the pod uid, holding the overlay's upper/work dirs and mountpoint, the
// pod's managed /etc files, the shim's socket/status/config, container state and logs.

import path from 'node:path';

export interface SandboxPaths {
  dir: string;
  upper: string;
  work: string;
  root: string;
  /** The pod's /etc/hosts, /etc/resolv.conf and /etc/hostname, bind-mounted into the root. */
  etc: string;
  logs: string;
  containers: string;
  /** The sandbox record, read by the shim at start and by ordinal when it re-attaches. */
  record: string;
  /** Written by the shim once the sandbox is ready (or failed). */
  status: string;
  socket: string;
  /** The shim's own stderr (a file, never a pipe to ordinal). */
  shimLog: string;
}

export function runtimeDir(dataDir: string): string {
  return path.join(dataDir, 'runtime');
}

export function shimScriptPath(dataDir: string): string {
  return path.join(runtimeDir(dataDir), 'shim.py');
}

export function sandboxesDir(dataDir: string): string {
  return path.join(dataDir, 'sandboxes');
}

export function sandboxPaths(dataDir: string, podUid: string): SandboxPaths {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(podUid)) throw new Error(`invalid pod uid ${JSON.stringify(podUid)}`);
  const dir = path.join(sandboxesDir(dataDir), podUid);
  return {
    dir,
    upper: path.join(dir, 'upper'),
    work: path.join(dir, 'work'),
    root: path.join(dir, 'root'),
    etc: path.join(dir, 'etc'),
    logs: path.join(dir, 'logs'),
    containers: path.join(dir, 'containers'),
    record: path.join(dir, 'sandbox.json'),
    status: path.join(dir, 'shim.status'),
    socket: path.join(dir, 'shim.sock'),
    shimLog: path.join(dir, 'shim.log'),
  };
}

export function containerLogPath(p: SandboxPaths, container: string, attempt: number): string {
  return path.join(p.logs, container, `${attempt}.log`);
}

export function containerStatePath(p: SandboxPaths, container: string): string {
  return path.join(p.containers, `${container}.state.json`);
}

/** The container's resolved config (env included, for exec); readable by root only. */
export function containerSpecPath(p: SandboxPaths, container: string): string {
  return path.join(p.containers, `${container}.spec.json`);
}
