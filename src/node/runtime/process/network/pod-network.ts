// One ordinal instance's pod network on the host: a bridge holding a sub-range of the pod
// CIDR, `unreachable` routes over the whole pod and service CIDRs (so no packet for them can
// leave the machine), an nft table guarding the bridge address, and per pod a named netns
// with a veth pair whose pod end is eth0. No NAT, no ip_forward, no default route in pods.

import { cleanupNetwork } from './cleanup.js';
import { resolveRanges, type ResolvedRanges } from './config.js';
import { deleteLink, deleteNetns, linkExists, listLinkNames, listNetnsNames, netnsExists } from './host-links.js';
import { conflictMessage, findConflicts, readHostRoutes } from './host-routes.js';
import { ip, ipBatch } from './ip-command.js';
import { addressAt, allocate, emptyIpam, release } from './ipam.js';
import { formatCidr } from './ipv4.js';
import { hostVethName, instanceIdFor, isOurNetns, isOurVeth, namesFor, netnsNameFor, netnsPath, ROUTE_PROTOCOL } from './names.js';
import { loadState, saveState, type AttachedPod, type NetworkState } from './network-state.js';
import { installFirewall } from './nftables.js';
import type { NetworkNames, PodAttachment, PodNetworkConfig } from './types.js';

export class PodNetwork {
  readonly names: NetworkNames;
  readonly dataDir: string;
  readonly podCIDR: string;
  readonly serviceCIDR: string;
  readonly bridgeCIDR: string;
  /** The host's address on the bridge (`.1`): pods' next hop; where DNS and the API listen for pods. */
  readonly bridgeAddress: string;
  private readonly ranges: ResolvedRanges;
  private state: NetworkState | undefined;
  private firewall = false;
  /** Serialises operations: IPAM and the state file are read-modify-write. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(cfg: PodNetworkConfig) {
    this.ranges = resolveRanges(cfg);
    this.names = namesFor(cfg.instanceId ?? instanceIdFor(cfg.dataDir));
    this.dataDir = cfg.dataDir;
    this.podCIDR = formatCidr(this.ranges.pod);
    this.serviceCIDR = formatCidr(this.ranges.service);
    this.bridgeCIDR = formatCidr(this.ranges.bridge);
    this.bridgeAddress = this.ranges.bridgeAddress;
  }

  /** Whether the nft table guarding the bridge address is installed (false where nft is missing). */
  get firewallActive(): boolean {
    return this.firewall;
  }

  get bridgeName(): string {
    return this.names.bridge;
  }

  /**
   * Creates (or re-attaches to) the instance's network. Refuses ranges overlapping a host
   * route that is not the default route and not ours. Pods recorded by a previous run whose
   * netns and veth still exist stay attached; anything else of ours is removed.
   */
  setUp(): Promise<void> {
    return this.serialised(() => this.doSetUp());
  }

  /** Gives a pod its netns, veth and IP (its recorded ones when it is already attached). */
  attachPod(podUid: string, ip?: string): Promise<PodAttachment> {
    return this.serialised(() => this.doAttach(podUid, ip));
  }

  /** Deletes the pod's host veth (synchronously), then its netns, and releases its IP. */
  detachPod(podUid: string): Promise<void> {
    return this.serialised(() => this.doDetach(podUid));
  }

  /**
   * Detaches every recorded pod not in `keep` and removes our netns/veths that no record
   * explains (leftovers of a crash). Returns the detached pod uids.
   */
  pruneExcept(keep: Iterable<string>): Promise<string[]> {
    const keepSet = new Set(keep);
    return this.serialised(async () => {
      const state = this.mustState();
      const gone = Object.keys(state.pods).filter((uid) => !keepSet.has(uid));
      for (const uid of gone) await this.doDetach(uid);
      await this.removeOrphans();
      return gone;
    });
  }

  attachment(podUid: string): PodAttachment | undefined {
    const pod = this.state?.pods[podUid];
    return pod ? this.toAttachment(podUid, pod) : undefined;
  }

  listAttachments(): PodAttachment[] {
    return Object.entries(this.state?.pods ?? {}).map(([uid, pod]) => this.toAttachment(uid, pod));
  }

  /** Removes pods' netns and veths, the bridge, the nft table, the routes and the state file. */
  tearDown(): Promise<void> {
    return this.serialised(async () => {
      for (const uid of Object.keys(this.state?.pods ?? {})) await this.doDetach(uid);
      await cleanupNetwork(this.dataDir, { instanceId: this.names.instanceId });
      this.state = undefined;
      this.firewall = false;
    });
  }

  private serialised<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private mustState(): NetworkState {
    if (!this.state) throw new Error('pod network is not set up (call setUp first)');
    return this.state;
  }

  private async doSetUp(): Promise<void> {
    const previous = await loadState(this.dataDir);
    if (previous && !this.sameRanges(previous)) {
      // Different ranges than last time: nothing can be re-attached; start clean.
      await cleanupNetwork(this.dataDir, { instanceId: previous.instanceId });
    }
    const conflicts = findConflicts(await readHostRoutes(), [this.ranges.pod, this.ranges.service], this.names);
    if (conflicts.length > 0) throw new Error(conflictMessage(conflicts));

    // The unreachable routes go in before any address exists, so there is never a moment in
    // which a pod-range packet could follow the default route off the machine.
    const metric = String(this.names.routeMetric);
    for (const range of [this.podCIDR, this.serviceCIDR]) {
      await ip(['route', 'replace', 'unreachable', range, 'proto', String(ROUTE_PROTOCOL), 'metric', metric]);
    }
    await this.ensureBridge();
    this.firewall = await installFirewall(this.names, {
      bridgeAddress: this.bridgeAddress,
      podCIDR: this.podCIDR,
      serviceCIDR: this.serviceCIDR,
    });

    const kept = previous && this.sameRanges(previous) ? previous : undefined;
    this.state = kept ?? {
      version: 1,
      instanceId: this.names.instanceId,
      podCIDR: this.podCIDR,
      serviceCIDR: this.serviceCIDR,
      bridgeCIDR: this.bridgeCIDR,
      ipam: emptyIpam(),
      pods: {},
    };
    for (const [uid, pod] of Object.entries(this.state.pods)) {
      if (!(netnsExists(pod.netnsName) && linkExists(pod.hostVeth))) await this.doDetach(uid);
    }
    await this.removeOrphans();
    await saveState(this.dataDir, this.state);
  }

  private sameRanges(s: NetworkState): boolean {
    return (
      s.instanceId === this.names.instanceId &&
      s.podCIDR === this.podCIDR &&
      s.serviceCIDR === this.serviceCIDR &&
      s.bridgeCIDR === this.bridgeCIDR
    );
  }

  private async ensureBridge(): Promise<void> {
    const br = this.names.bridge;
    const lines: string[][] = [];
    // addrgenmode none: no IPv6 link-local addresses on our links, so nothing but the IPv4
    // we configure ever speaks on the bridge.
    if (!linkExists(br)) lines.push(['link', 'add', 'name', br, 'type', 'bridge'], ['link', 'set', 'dev', br, 'addrgenmode', 'none']);
    // A fixed MAC: otherwise the kernel gives the bridge the lowest MAC of its ports and
    // changes it when that pod's veth goes, and the other pods' ARP entries for the bridge
    // address (DNS, the API server) point at a MAC nobody answers for any more.
    lines.push(
      ['link', 'set', 'dev', br, 'address', bridgeMac(this.names.instanceId)],
      ['addr', 'replace', `${this.bridgeAddress}/${this.ranges.bridge.prefix}`, 'dev', br],
      ['link', 'set', 'dev', br, 'up'],
    );
    await ipBatch(lines);
  }

  private async doAttach(podUid: string, wantedIp?: string): Promise<PodAttachment> {
    const state = this.mustState();
    const recorded = state.pods[podUid];
    if (recorded && (wantedIp === undefined || wantedIp === recorded.ip)) {
      if (netnsExists(recorded.netnsName) && linkExists(recorded.hostVeth)) return this.toAttachment(podUid, recorded);
    }
    if (recorded) await this.removePodLinks(recorded); // half-present: rebuild from scratch

    const { state: ipam, offset } = allocate(state.ipam, this.ranges.bridge, podUid, wantedIp);
    const pod: AttachedPod = {
      netnsName: this.uniqueNetnsName(podUid),
      hostVeth: hostVethName(this.names, offset),
      ip: addressAt(this.ranges.bridge, offset),
    };
    this.state = { ...state, ipam, pods: { ...state.pods, [podUid]: pod } };
    // Recorded before creation, so that a crash in between still leaves a trace to clean.
    await saveState(this.dataDir, this.state);
    try {
      await this.removePodLinks(pod); // leftovers of a crashed run under the same names
      await this.createPodLinks(pod);
    } catch (err) {
      await this.removePodLinks(pod).catch(() => undefined);
      this.state = { ...this.state, ipam: release(this.state.ipam, podUid), pods: withoutKey(this.state.pods, podUid) };
      await saveState(this.dataDir, this.state);
      throw err;
    }
    return this.toAttachment(podUid, pod);
  }

  private uniqueNetnsName(podUid: string): string {
    const short = netnsNameFor(this.names, podUid);
    const taken = Object.entries(this.mustState().pods).some(([uid, p]) => uid !== podUid && p.netnsName === short);
    return taken ? netnsNameFor(this.names, podUid, 32) : short;
  }

  private async createPodLinks(pod: AttachedPod): Promise<void> {
    const { netnsName: ns, hostVeth: hv } = pod;
    await ipBatch([
      ['netns', 'add', ns],
      ['link', 'add', 'name', hv, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns],
      ['link', 'set', 'dev', hv, 'addrgenmode', 'none'],
      ['link', 'set', 'dev', hv, 'master', this.names.bridge],
      ['link', 'set', 'dev', hv, 'up'],
    ]);
    const via = this.bridgeAddress;
    const inside: string[][] = [
      ['link', 'set', 'dev', 'lo', 'up'],
      ['link', 'set', 'dev', 'eth0', 'addrgenmode', 'none'],
      ['addr', 'add', `${pod.ip}/${this.ranges.bridge.prefix}`, 'dev', 'eth0'],
      ['link', 'set', 'dev', 'eth0', 'up'],
    ];
    // Routes for our two ranges only, through the bridge address; deliberately no default.
    if (this.ranges.bridge.prefix !== this.ranges.pod.prefix) inside.push(['route', 'add', this.podCIDR, 'via', via, 'dev', 'eth0']);
    inside.push(['route', 'add', this.serviceCIDR, 'via', via, 'dev', 'eth0']);
    await ipBatch(inside, ['-n', ns]);
  }

  private async removePodLinks(pod: AttachedPod): Promise<void> {
    await deleteLink(pod.hostVeth);
    await deleteNetns(pod.netnsName);
  }

  private async doDetach(podUid: string): Promise<void> {
    const state = this.mustState();
    const pod = state.pods[podUid];
    if (!pod) return;
    await this.removePodLinks(pod);
    this.state = { ...state, ipam: release(state.ipam, podUid), pods: withoutKey(state.pods, podUid) };
    await saveState(this.dataDir, this.state);
  }

  /** Our netns and veths that no recorded pod accounts for. */
  private async removeOrphans(): Promise<void> {
    const pods = Object.values(this.mustState().pods);
    const knownNetns = new Set(pods.map((p) => p.netnsName));
    const knownVeths = new Set(pods.map((p) => p.hostVeth));
    for (const link of await listLinkNames()) {
      if (isOurVeth(this.names, link) && !knownVeths.has(link)) await deleteLink(link);
    }
    for (const ns of await listNetnsNames()) {
      if (isOurNetns(this.names, ns) && !knownNetns.has(ns)) await deleteNetns(ns);
    }
  }

  private toAttachment(podUid: string, pod: AttachedPod): PodAttachment {
    return {
      podUid,
      netnsName: pod.netnsName,
      netnsPath: netnsPath(pod.netnsName),
      ip: pod.ip,
      prefixLength: this.ranges.bridge.prefix,
      hostVeth: pod.hostVeth,
    };
  }
}

function withoutKey<V>(record: Record<string, V>, key: string): Record<string, V> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** A locally administered unicast MAC (02:6f:72 = "or") followed by the instance id. */
function bridgeMac(instanceId: string): string {
  const hex = instanceId.padStart(6, '0');
  return `02:6f:72:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}
