// The host binaries the process runtime drives, found once. The Python that runs the shim,
// exec's pty helper and dial's relay must be a system one (not a pyenv shim under /root,
// which pods do not see).

import { accessSync, constants } from 'node:fs';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function findIn(dirs: string[], name: string): string | undefined {
  for (const d of dirs) {
    try {
      accessSync(`${d}/${name}`, constants.X_OK);
      return `${d}/${name}`;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export interface HostTools {
  python: string;
  nsenter: string;
  unshare: string;
  setpriv: string;
}

/** The tools, or a list of what is missing. */
export function findHostTools(): HostTools | { missing: string[] } {
  const python = findIn(SYSTEM_DIRS, 'python3');
  const nsenter = findIn(SYSTEM_DIRS, 'nsenter');
  const unshare = findIn(SYSTEM_DIRS, 'unshare');
  const setpriv = findIn(SYSTEM_DIRS, 'setpriv');
  if (python && nsenter && unshare && setpriv) return { python, nsenter, unshare, setpriv };
  const missing = Object.entries({ python3: python, nsenter, unshare, setpriv })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return { missing };
}

/** The default PATH of a container whose env names none (as container images set it). */
export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
