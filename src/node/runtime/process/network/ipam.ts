// Pod IP allocation inside the bridge range: pure bookkeeping, persisted by the caller.
// Skips the network address, the bridge address (.1) and the broadcast address, and hands
// addresses out round-robin (as upstream's host-local IPAM does) so a released IP is not
// immediately reused by the next pod.

import { containsAddress, formatCidr, formatIPv4, parseIPv4, size, type Cidr } from './ipv4.js';

export interface IpamState {
  /** podUid → offset of its address within the bridge range. */
  allocations: Record<string, number>;
  /** The offset handed out last; the search for a free one starts after it. */
  lastOffset: number;
}

export const FIRST_POD_OFFSET = 2;

export function emptyIpam(): IpamState {
  return { allocations: {}, lastOffset: FIRST_POD_OFFSET - 1 };
}

function lastPodOffset(range: Cidr): number {
  return size(range) - 2;
}

function usedOffsets(state: IpamState, exceptPod?: string): Set<number> {
  const used = new Set<number>();
  for (const [uid, off] of Object.entries(state.allocations)) if (uid !== exceptPod) used.add(off);
  return used;
}

/**
 * Allocates an address for a pod (its existing one if it has one). With `wanted`, that exact
 * address or an error. Returns the new state and the offset; the input is not modified.
 */
export function allocate(state: IpamState, range: Cidr, podUid: string, wanted?: string): { state: IpamState; offset: number } {
  const last = lastPodOffset(range);
  if (last < FIRST_POD_OFFSET) throw new Error(`bridge range ${formatCidr(range)} is too small for pods`);
  const existing = state.allocations[podUid];
  const used = usedOffsets(state, podUid);
  let offset: number | undefined;
  if (wanted !== undefined) {
    const ip = parseIPv4(wanted);
    if (!containsAddress(range, ip)) throw new Error(`pod IP ${wanted} is outside the bridge range ${formatCidr(range)}`);
    const off = ip - range.base;
    if (off < FIRST_POD_OFFSET || off > last) throw new Error(`pod IP ${wanted} is reserved in ${formatCidr(range)}`);
    if (used.has(off)) throw new Error(`pod IP ${wanted} is already in use`);
    offset = off;
  } else if (existing !== undefined) {
    offset = existing;
  } else {
    const span = last - FIRST_POD_OFFSET + 1;
    for (let i = 1; i <= span && offset === undefined; i++) {
      const candidate = FIRST_POD_OFFSET + ((state.lastOffset - FIRST_POD_OFFSET + i) % span + span) % span;
      if (!used.has(candidate)) offset = candidate;
    }
    if (offset === undefined) throw new Error(`no free pod IP left in ${formatCidr(range)}`);
  }
  return {
    state: { allocations: { ...state.allocations, [podUid]: offset }, lastOffset: offset },
    offset,
  };
}

export function release(state: IpamState, podUid: string): IpamState {
  if (!(podUid in state.allocations)) return state;
  const allocations = { ...state.allocations };
  delete allocations[podUid];
  return { ...state, allocations };
}

export function addressAt(range: Cidr, offset: number): string {
  return formatIPv4(range.base + offset);
}
