// Public surface of the Table printers.

export { toTable, columnsFor, partialObjectMetadata, type Table, type TableRow, type TableOptions, type IncludeObject } from './table.js';
export { humanDuration, timestampSince } from './human-duration.js';
export { printerFor } from './registry.js';
export type { ColumnDefinition, Printer, PrintedRow, RowCondition } from './columns.js';
