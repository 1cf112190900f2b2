// meta.k8s.io/v1 Table responses, as the apiserver builds them for `kubectl get`: every column
// (wide ones too, the apiserver always prints wide) and, per row, the object in the form the
// client asked for with includeObject (PartialObjectMetadata by default).

import type { KObject } from '../object.js';
import type { ResourceInfo } from '../resources.js';
import type { ColumnDefinition, RowCondition } from './columns.js';
import { printerFor } from './registry.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  includeObject?: IncludeObject;
  noHeaders?: boolean;
}

export interface TableRow {
  cells: unknown[];
  conditions?: RowCondition[];
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

export function partialObjectMetadata(o: KObject): { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: KObject['metadata'] } {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

function rowObject(o: KObject, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return o;
    default:
      return partialObjectMetadata(o);
  }
}

export function columnsFor(resource: Pick<ResourceInfo, 'group' | 'kind'>): ColumnDefinition[] {
  return printerFor(resource.group, resource.kind).columns.map((c) => ({ ...c }));
}

export function toTable(resource: Pick<ResourceInfo, 'group' | 'kind'>, objects: KObject[], opts: TableOptions): Table {
  const printer = printerFor(resource.group, resource.kind);
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((o): TableRow => {
    const printed = printer.print(o, opts.now);
    const row: TableRow = { cells: printed.cells, object: rowObject(o, include) };
    if (printed.conditions) row.conditions = printed.conditions;
    return row;
  });
  const metadata: Table['metadata'] = { resourceVersion: opts.resourceVersion };
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? null : columnsFor(resource),
    rows,
  };
}
