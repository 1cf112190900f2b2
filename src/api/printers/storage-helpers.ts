// Small storage helpers shared by the PV, PVC and StorageClass printers.

import type { KObject } from '../object.js';
import { arr, at, str } from './fields.js';

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const ACCESS_MODE_ABBREVIATIONS: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Access modes abbreviated in a fixed order, whatever order (or duplicates) the object lists. */
export function accessModesString(modes: unknown): string {
  const present = new Set(arr(modes).map(str));
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode)).map(([, abbr]) => abbr).join(',');
}

/** The class of a PV or PVC: the legacy beta annotation wins over spec.storageClassName. */
export function storageClassOf(o: KObject): string {
  const annotated = o.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return str(at(o, 'spec', 'storageClassName'));
}

export function isDefaultStorageClass(o: KObject): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some((a) => o.metadata.annotations?.[a] === 'true');
}

/** spec.capacity.storage-like quantities print as stored; an absent quantity is Go's zero, "0". */
export function quantityString(q: unknown): string {
  if (typeof q === 'string' && q !== '') return q;
  if (typeof q === 'number') return String(q);
  return '0';
}

export function optionalString(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}
