// What a StatefulSet's ControllerRevision stores: only `spec.template`, as a strategic merge
// patch that replaces the whole template (`"$patch":"replace"`), in the bytes 1.33 writes.
// Upstream encodes the typed set, decodes it into a generic map and re-encodes it, so the
// keys end up sorted and the fields are those the Go types keep.

import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { applyStrategicMergePatch } from '../../api/patch/index.js';
import { goMarshal } from './go-json.js';
import { normalizePodTemplate } from './go-shape.js';

/** Optional defaulting of a pod template (the registry's), used by the semantic comparison. */
export type TemplateDefaulter = (template: Record<string, unknown>) => void;

function templateOf(set: KObject): unknown {
  return isPlainObject(set.spec) ? set.spec.template : undefined;
}

/** Informer objects are frozen and shared between syncs: their bytes are computed once. */
const patchOfFrozenTemplate = new WeakMap<object, string>();

/** The revision data for `set`: `{"spec":{"template":{"$patch":"replace",…}}}` as Go writes it. */
export function statefulSetPatch(set: KObject): string {
  const raw = templateOf(set);
  const cacheable = isPlainObject(raw) && Object.isFrozen(raw) && Object.isFrozen(raw.spec ?? raw);
  const known = cacheable ? patchOfFrozenTemplate.get(raw) : undefined;
  if (known !== undefined) return known;
  const template = { ...normalizePodTemplate(raw), $patch: 'replace' };
  const bytes = goMarshal({ spec: { template } });
  if (cacheable) patchOfFrozenTemplate.set(raw, bytes);
  return bytes;
}

const bytesOfFrozenData = new WeakMap<object, string>();

/**
 * The bytes of a stored revision's data. Go keeps RawExtension bytes as written and writes
 * them sorted; re-marshalling the decoded value with sorted keys gives those bytes back.
 */
export function revisionDataBytes(revision: KObject): string {
  const data = revision.data;
  if (typeof data === 'string') return data;
  if (!isPlainObject(data) || !Object.isFrozen(data)) return goMarshal(data ?? null);
  let bytes = bytesOfFrozenData.get(data);
  if (bytes === undefined) bytesOfFrozenData.set(data, (bytes = goMarshal(data)));
  return bytes;
}

/**
 * The set with its template restored from `revision` (upstream ApplyRevision): the stored
 * patch applied over a copy of the live set, so every other field (status included) is live.
 * The template comes back in its Go shape, as the typed decode upstream leaves it.
 */
export function applyRevision(set: KObject, revision: KObject): KObject {
  const data = typeof revision.data === 'string' ? JSON.parse(revision.data) : revision.data;
  const patched = applyStrategicMergePatch(clone(set), data ?? {}, 'StatefulSet') as KObject;
  const spec = isPlainObject(patched.spec) ? patched.spec : (patched.spec = {});
  spec.template = normalizePodTemplate(spec.template);
  return patched;
}

function withDefaultedTemplate(set: KObject, defaulter: TemplateDefaulter): KObject {
  const copy = clone(set);
  const spec = isPlainObject(copy.spec) ? copy.spec : (copy.spec = {});
  const template = isPlainObject(spec.template) ? spec.template : (spec.template = {});
  defaulter(template);
  return copy;
}

const CACHE_LIMIT = 1024;
const semanticCache = new Map<string, boolean>();

function remember(key: string, value: boolean): boolean {
  if (semanticCache.size >= CACHE_LIMIT) semanticCache.delete(semanticCache.keys().next().value!);
  semanticCache.set(key, value);
  return value;
}

/**
 * Whether `revision` describes `set`'s template (#135017, StatefulSetSemanticRevisionComparison):
 * byte equality first; otherwise the revision is applied back onto the set, re-encoded in
 * the current shape (and defaulted, when a defaulter is given) and compared again. Stored
 * revisions that differ only in serialisation (a missing `creationTimestamp: null`, a field
 * defaulted later) therefore still match. Results are memoised: revision data is immutable.
 */
export function revisionMatchesSet(set: KObject, revision: KObject, candidate = statefulSetPatch(set), defaulter?: TemplateDefaulter): boolean {
  const stored = revisionDataBytes(revision);
  if (stored === candidate) return true;
  const key = `${defaulter ? 'd' : 'n'}\u0000${stored}\u0000${candidate}`;
  const known = semanticCache.get(key);
  if (known !== undefined) return known;
  let restored = applyRevision(set, revision);
  let current = set;
  if (defaulter) {
    restored = withDefaultedTemplate(restored, defaulter);
    current = withDefaultedTemplate(set, defaulter);
  }
  const same = statefulSetPatch(restored) === (defaulter ? statefulSetPatch(current) : candidate);
  return remember(key, same);
}
