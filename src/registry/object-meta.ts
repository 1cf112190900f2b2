// The metadata rules every kind shares: identity on create, and the server-owned
// fields a client cannot change on update.

import { randomUUID } from 'node:crypto';
import type { KObject, ObjectMeta } from '../api/object.js';

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Upstream's generateName suffix alphabet: no vowels and no easily confused characters.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;

export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return prefix + suffix;
}

/** Go's `omitempty`: metadata's empty lists and maps are not stored, as upstream serialises them. */
export function dropEmptyMetaCollections(meta: ObjectMeta): void {
  for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers'] as const) {
    const v = meta[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete meta[k];
  }
}

/** Fills server-owned metadata of a new object; client-sent values for these are dropped. */
export function prepareMetaForCreate(meta: ObjectMeta, now: Date): void {
  dropEmptyMetaCollections(meta);
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  if (meta.generation !== undefined) delete meta.generation;
}

/** Carries over what only the server may change. */
export function prepareMetaForUpdate(meta: ObjectMeta, old: ObjectMeta): void {
  dropEmptyMetaCollections(meta);
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (old.generation !== undefined) meta.generation = old.generation;
  else delete meta.generation;
  if (old.deletionTimestamp !== undefined) meta.deletionTimestamp = old.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
}

/**
 * A status write may change status only: upstream resets these from the old object
 * (ResetObjectMetaForStatus) and keeps everything but `status` from it.
 */
export function takeStatusOnly(incoming: KObject, old: KObject): KObject {
  const out: KObject = { ...structuredClone(old) };
  if (incoming.status === undefined) delete out.status;
  else out.status = structuredClone(incoming.status);
  out.metadata.resourceVersion = incoming.metadata.resourceVersion;
  return out;
}

/** A main-resource write ignores `status`: the old one is kept. */
export function keepOldStatus(incoming: KObject, old: KObject): void {
  if (old.status === undefined) delete incoming.status;
  else incoming.status = structuredClone(old.status);
}

export function isBeingDeleted(obj: KObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}
