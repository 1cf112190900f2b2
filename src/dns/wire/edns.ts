// EDNS0 (RFC 6891): the OPT pseudo-record in the additional section. We read the client's UDP
// payload size and version, and answer with an OPT of our own; options are not echoed.

import { RRType, UDP_DEFAULT_SIZE, UDP_MAX_SIZE } from './constants.js';
import type { ResourceRecord } from './message.js';
import { WireError } from './wire-error.js';

export interface EdnsInfo {
  /** The requestor's UDP payload size (values under 512 count as 512). */
  udpSize: number;
  version: number;
  /** DNSSEC OK: echoed back as RFC 3225 asks. */
  dnssecOk: boolean;
}

/** undefined when the query carries no OPT; WireError when it carries a malformed one. */
export function readEdns(additional: ResourceRecord[]): EdnsInfo | undefined {
  const opts = additional.filter((rr) => rr.type === RRType.OPT);
  if (opts.length === 0) return undefined;
  if (opts.length > 1) throw new WireError('more than one OPT record');
  const opt = opts[0]!;
  if (opt.name.length !== 0) throw new WireError('OPT owner name must be the root');
  validateOptions(opt.data.kind === 'raw' ? opt.data.bytes : new Uint8Array());
  return { udpSize: Math.max(UDP_DEFAULT_SIZE, opt.class), version: (opt.ttl >>> 16) & 0xff, dnssecOk: (opt.ttl & 0x8000) !== 0 };
}

/** Options are code/length/value triples that must tile the rdata exactly. */
function validateOptions(bytes: Uint8Array): void {
  let i = 0;
  while (i < bytes.length) {
    if (i + 4 > bytes.length) throw new WireError('EDNS option header truncated');
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    i += 4 + len;
    if (i > bytes.length) throw new WireError('EDNS option runs past the OPT record');
  }
}

/** Our OPT for a response; the extended rcode carries rcodes above 15 (BADVERS). */
export function responseOpt(rcode: number, dnssecOk: boolean): ResourceRecord {
  const extended = (rcode >> 4) & 0xff;
  return {
    name: [],
    type: RRType.OPT,
    class: UDP_MAX_SIZE,
    ttl: ((extended << 24) | (dnssecOk ? 0x8000 : 0)) >>> 0,
    data: { kind: 'raw', bytes: new Uint8Array() },
  };
}

/** The most we may send over UDP to this client. */
export function udpLimit(edns: EdnsInfo | undefined): number {
  return edns ? Math.min(edns.udpSize, UDP_MAX_SIZE) : UDP_DEFAULT_SIZE;
}
