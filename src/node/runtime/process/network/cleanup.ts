// Removes everything an instance's network left on the host: pod netns, veths, bridge,
// unreachable routes, nft table and the state file. Finds them by the names and route
// markers derived from the data dir (and by the state file where it survived), so it works
// after a kill -9 as well as after a clean run. Used by `ordinal cleanup --data-dir DIR`,
// by PodNetwork.tearDown, and at start-up when the ranges changed.

import { deleteLink, deleteNetns, listLinkNames, listNetnsNames, netnsPids } from './host-links.js';
import { tryIp } from './ip-command.js';
import { describeRoute, ownUnreachableRoutes, readHostRoutes } from './host-routes.js';
import { instanceIdFor, isOurNetns, isOurVeth, namesFor, ROUTE_PROTOCOL } from './names.js';
import { loadState, removeState } from './network-state.js';
import { removeFirewall } from './nftables.js';
import type { CleanupReport, NetworkNames } from './types.js';

export interface CleanupOptions {
  /** Use this id instead of the one derived from the data dir (tests that set one). */
  instanceId?: string;
  /** SIGKILL processes still running inside the instance's pod netns (default false). */
  killProcesses?: boolean;
  /** Keep the state file (PodNetwork's own use when it re-creates from scratch). */
  keepStateFile?: boolean;
}

export async function cleanupNetwork(dataDir: string, opts: CleanupOptions = {}): Promise<CleanupReport> {
  const state = await loadState(dataDir);
  const names = namesFor(opts.instanceId ?? state?.instanceId ?? instanceIdFor(dataDir));
  const report: CleanupReport = { netns: [], links: [], routes: [], nftTables: [], stateFileRemoved: false, killedPids: [] };

  const netnsToRemove = new Set((await listNetnsNames()).filter((n) => isOurNetns(names, n)));
  for (const pod of Object.values(state?.pods ?? {})) netnsToRemove.add(pod.netnsName);
  if (opts.killProcesses) {
    for (const ns of netnsToRemove) {
      for (const pid of await netnsPids(ns)) {
        try {
          process.kill(pid, 'SIGKILL');
          report.killedPids.push(pid);
        } catch {
          /* already gone */
        }
      }
    }
  }

  // Host veths first: their deletion is synchronous and takes the pod end with it.
  const links = await listLinkNames();
  for (const link of links.filter((l) => isOurVeth(names, l))) {
    if (await deleteLink(link)) report.links.push(link);
  }
  for (const ns of netnsToRemove) {
    if (await deleteNetns(ns)) report.netns.push(ns);
  }
  if (await deleteLink(names.bridge)) report.links.push(names.bridge);
  if (await removeFirewall(names)) report.nftTables.push(names.nftTable);
  report.routes.push(...(await removeOwnRoutes(names)));
  if (!opts.keepStateFile) report.stateFileRemoved = await removeState(dataDir);
  return report;
}

/** Deletes the instance's unreachable routes; returns their descriptions. */
export async function removeOwnRoutes(names: NetworkNames): Promise<string[]> {
  const removed: string[] = [];
  for (const route of ownUnreachableRoutes(await readHostRoutes(), names)) {
    const args = ['route', 'del', 'unreachable', route.dst, 'proto', String(ROUTE_PROTOCOL), 'metric', String(names.routeMetric)];
    if (route.table) args.push('table', route.table);
    const r = await tryIp(args);
    if (r.code === 0) removed.push(describeRoute(route));
    else throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  }
  return removed;
}

export function isEmptyReport(r: CleanupReport): boolean {
  return r.netns.length + r.links.length + r.routes.length + r.nftTables.length === 0;
}

/** One line per removed thing, for `ordinal cleanup`'s output. */
export function describeCleanup(r: CleanupReport): string[] {
  return [
    ...r.killedPids.map((p) => `killed process ${p} (in a pod network namespace)`),
    ...r.links.map((l) => `deleted link ${l}`),
    ...r.netns.map((n) => `deleted network namespace ${n}`),
    ...r.routes.map((x) => `deleted route ${x}`),
    ...r.nftTables.map((t) => `deleted nft table inet ${t}`),
    ...(r.stateFileRemoved ? ['removed the network state file'] : []),
  ];
}
