// Domain names as label arrays. Labels keep their exact octets (as latin1 strings), so a name
// read off the wire is written back byte for byte; presentation form is only for our own names.

import { MAX_LABEL_OCTETS, MAX_NAME_OCTETS } from './constants.js';
import { WireError } from './wire-error.js';

export type Name = readonly string[];

/** `a.b.c` or `a.b.c.` → ['a','b','c']; '' and '.' are the root. Our names only: no escapes. */
export function nameFromString(s: string): Name {
  const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
  if (trimmed === '') return [];
  const labels = trimmed.split('.');
  checkName(labels);
  return labels;
}

/** Presentation form with a trailing dot; dots and backslashes inside labels are escaped. */
export function nameToString(name: Name): string {
  if (name.length === 0) return '.';
  return name.map(escapeLabel).join('.') + '.';
}

function escapeLabel(label: string): string {
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x2e || c === 0x5c) out += '\\' + label[i];
    else if (c <= 0x20 || c >= 0x7f) out += '\\' + String(c).padStart(3, '0');
    else out += label[i];
  }
  return out;
}

/** Octets on the wire without compression: one length octet per label, the labels, the root. */
export function wireLength(name: Name): number {
  let n = 1;
  for (const l of name) n += 1 + l.length;
  return n;
}

export function checkName(name: Name): void {
  for (const l of name) {
    if (l.length === 0) throw new WireError('empty label');
    if (l.length > MAX_LABEL_OCTETS) throw new WireError('label longer than 63 octets');
  }
  if (wireLength(name) > MAX_NAME_OCTETS) throw new WireError('name longer than 255 octets');
}

/** ASCII-only case folding, as DNS compares names (RFC 4343); other octets stay as they are. */
export function lowerLabel(label: string): string {
  return /[A-Z]/.test(label) ? label.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20)) : label;
}

export function lowerName(name: Name): string[] {
  return name.map(lowerLabel);
}
