// The CRI container log format the kubelet reads (one file per container attempt):
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n
// F ends a line of the container's output; P is a chunk of a longer line (no newline).

export interface CriLogEntry {
  /** As written by the runtime; echoed verbatim for `--timestamps`. */
  timestamp: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: Buffer;
}

const SPACE = 0x20;

/** Parses one file line (without its trailing newline); undefined for a malformed line. */
export function parseCriLine(line: Buffer): CriLogEntry | undefined {
  const s1 = line.indexOf(SPACE);
  if (s1 <= 0) return undefined;
  const s2 = line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The tag field is optional in old files; newer ones always carry F or P.
  let partial = false;
  let contentStart = s2 + 1;
  const s3 = line.indexOf(SPACE, s2 + 1);
  const tag = line.toString('latin1', s2 + 1, s3 < 0 ? line.length : s3);
  if (tag === 'F' || tag === 'P') {
    partial = tag === 'P';
    contentStart = s3 < 0 ? line.length : s3 + 1;
  }
  return { timestamp: line.toString('latin1', 0, s1), stream, partial, content: line.subarray(contentStart) };
}

/** What the client sees for one entry: the content, its newline, optionally the time first. */
export function formatEntry(e: CriLogEntry, timestamps: boolean): Buffer {
  const parts: Buffer[] = [];
  if (timestamps) parts.push(Buffer.from(e.timestamp + ' ', 'latin1'));
  parts.push(e.content);
  if (!e.partial) parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

/** Formats a line for a runtime's log file (the fake runtime of the tests, or a shim). */
export function criLine(at: Date, stream: 'stdout' | 'stderr', text: string, partial = false): string {
  return `${at.toISOString().replace('Z', '000000Z')} ${stream} ${partial ? 'P' : 'F'} ${text}\n`;
}

export function entryTime(e: CriLogEntry): number {
  return Date.parse(e.timestamp);
}
