// Numbers from the DNS RFCs (1035, 2782, 3596, 6891) that the codec and server use.

export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  AXFR: 252,
  ANY: 255,
} as const;

export const RRClass = { IN: 1, CH: 3, ANY: 255 } as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** Extended (EDNS0): only the upper 8 bits travel in the OPT record. */
  BADVERS: 16,
} as const;

/** RFC 1035 §2.3.4. */
export const MAX_NAME_OCTETS = 255;
export const MAX_LABEL_OCTETS = 63;
/** The classic UDP limit when the client sent no OPT record. */
export const UDP_DEFAULT_SIZE = 512;
/** What we advertise and the most we will send over UDP (the DNS flag day 2020 value). */
export const UDP_MAX_SIZE = 1232;
export const HEADER_OCTETS = 12;
