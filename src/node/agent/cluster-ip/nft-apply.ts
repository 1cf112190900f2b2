// Loads an nft script inside a pod's network namespace: `nsenter --net=<path> nft -f -`,
// argv only (no shell), the script on stdin, with a deadline.

import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const TIMEOUT_MS = 10_000;

function findTool(name: string): string | undefined {
  for (const d of SYSTEM_DIRS) {
    try {
      accessSync(`${d}/${name}`, constants.X_OK);
      return `${d}/${name}`;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export interface NftTools {
  nsenter: string;
  nft: string;
}

/** The tools, or the names of the missing ones. */
export function findNftTools(): NftTools | { missing: string[] } {
  const nsenter = findTool('nsenter');
  const nft = findTool('nft');
  if (nsenter && nft) return { nsenter, nft };
  return { missing: Object.entries({ nsenter, nft }).filter(([, v]) => !v).map(([k]) => k) };
}

export type NetnsApply = (netnsPath: string, script: string) => Promise<void>;

export function nftApplier(tools: NftTools): NetnsApply {
  return (netnsPath, script) =>
    new Promise((resolve, reject) => {
      const child = execFile(tools.nsenter, [`--net=${netnsPath}`, '--', tools.nft, '-f', '-'], { encoding: 'utf8', timeout: TIMEOUT_MS }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`nft in ${netnsPath}: ${stderr.trim() || err.message}`));
        else resolve();
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(script);
    });
}
