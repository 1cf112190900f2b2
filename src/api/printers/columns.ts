// Table column definitions and the shape every per-kind printer implements.

import type { KObject } from '../object.js';
import { timestampSince } from './human-duration.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** One kind's printer: the columns (wide ones included) and the cells of one object. */
export interface Printer {
  columns: ColumnDefinition[];
  print(object: KObject, now: Date): PrintedRow;
}

export function column(name: string, description: string, opts: { type?: string; format?: string; priority?: number } = {}): ColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const nameColumn = (): ColumnDefinition => column('Name', 'Name of the object, unique within its namespace.', { format: 'name' });
export const ageColumn = (): ColumnDefinition => column('Age', 'Time since the object was created (metadata.creationTimestamp).');
export const wide = (name: string, description: string): ColumnDefinition => column(name, description, { priority: 1 });

export function age(o: KObject, now: Date): string {
  return timestampSince(o.metadata.creationTimestamp, now);
}

export function nameOf(o: KObject): string {
  return o.metadata.name ?? '';
}

/** "name1,name2" and "image1,image2" for the containers of a pod template (layoutContainerCells). */
export function containerCells(containers: unknown): [string, string] {
  const list = Array.isArray(containers) ? containers : [];
  const names: string[] = [];
  const images: string[] = [];
  for (const c of list) {
    const o = (c ?? {}) as { name?: unknown; image?: unknown };
    names.push(typeof o.name === 'string' ? o.name : '');
    images.push(typeof o.image === 'string' ? o.image : '');
  }
  return [names.join(','), images.join(',')];
}
