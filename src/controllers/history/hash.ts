// ControllerRevision names: FNV-1 (32-bit, not 1a) over the revision data and the collision
// count, written in decimal and then spelled with apimachinery's "safe" alphabet, which has no
// vowels so that no hash spells a word.

export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
const MAX_PREFIX_BYTES = 223;

function fnv1(hash: number, bytes: Uint8Array): number {
  let h = hash;
  for (const b of bytes) h = (Math.imul(h, FNV32_PRIME) ^ b) >>> 0;
  return h;
}

/** rand.SafeEncodeString: each character maps to SAFE_ALPHABET[code % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/**
 * The hash of a revision whose data serialises to `data` (the exact bytes as a string). A
 * StatefulSet always passes its collision count, 0 included; undefined leaves it out.
 */
export function hashControllerRevision(data: string, collisionCount?: number): string {
  let h = fnv1(FNV32_OFFSET, Buffer.from(data, 'utf8'));
  if (collisionCount !== undefined) h = fnv1(h, Buffer.from(String(Math.trunc(collisionCount)), 'utf8'));
  return safeEncodeString(String(h));
}

/** `<prefix>-<hash>`, the prefix cut to 223 bytes so the name stays within 253. */
export function controllerRevisionName(prefix: string, hash: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  const cut = bytes.length > MAX_PREFIX_BYTES ? bytes.subarray(0, MAX_PREFIX_BYTES).toString('utf8') : prefix;
  return `${cut}-${hash}`;
}
