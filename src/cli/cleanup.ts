// `ordinal cleanup --data-dir DIR`: removes everything an instance using DIR left on the
// host (pod sandboxes and their shims, mounts, overlay directories, cgroups, and the pod
// network: netns, links, routes, nft table). It keeps the instance's own state (database,
// certificates, token). Safe to run after a kill -9 and to run twice.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanupProcessRuntime } from '../node/runtime/process/index.js';

const USAGE = `Usage: ordinal cleanup [--data-dir DIR]

Removes what an ordinal instance left on this machine: pod processes, sandboxes, mounts,
overlay directories, cgroups, network namespaces, interfaces, routes and nftables rules.
Needs root.

  --data-dir DIR   the instance's data dir (default ~/.ordinal)
`;

export async function runCleanup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('ordinal cleanup: needs root (it removes mounts, cgroups and network interfaces)\n');
    return 1;
  }
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.ordinal'));
  const r = await cleanupProcessRuntime(dataDir);
  const lines = [
    ['processes killed', r.killedShims.length + r.network.killedPids.length],
    ['sandboxes removed', r.removedSandboxes.length],
    ['mounts removed', r.unmounted.length],
    ['cgroups removed', r.removedCgroups.length],
    ['network namespaces removed', r.network.netns.length],
    ['interfaces removed', r.network.links.length],
    ['routes removed', r.network.routes.length],
    ['nftables tables removed', r.network.nftTables.length],
  ] as const;
  process.stdout.write(`ordinal cleanup: ${dataDir}\n`);
  for (const [what, n] of lines) process.stdout.write(`  ${what}: ${n}\n`);
  if (r.left.length) {
    process.stderr.write(`ordinal cleanup: left in place (still mounted or busy): ${r.left.join(', ')}\n`);
    return 1;
  }
  return 0;
}
