// Event rows, printed from the core/v1 shape (events.k8s.io/v1 objects are converted first):
// Last Seen falls back from lastTimestamp to firstTimestamp to eventTime, and a series wins.

import { toCoreEvent } from '../event-conversion.js';
import type { KObject } from '../object.js';
import { column, nameOf, wide, type Printer } from './columns.js';
import { at, num, obj, str } from './fields.js';
import { parseTimestamp, timestampSince } from './human-duration.js';

const columns = [
  column('Last Seen', 'Time since the event was last observed.'),
  column('Type', 'Normal or Warning.'),
  column('Reason', 'Short machine-readable reason for the event.'),
  column('Object', 'The object the event is about, as kind/name.'),
  wide('Subobject', 'The part of the object the event is about (fieldPath).'),
  wide('Source', 'The component (and host) that reported the event.'),
  column('Message', 'Human-readable description of the event.'),
  wide('First Seen', 'Time since the event was first observed.'),
  wide('Count', 'How many times the event has occurred.'),
  column('Name', 'Name of the event object.', { format: 'name', priority: 1 }),
];

function eventSource(ev: KObject): string {
  const source = obj(ev.source);
  const component = str(source.component) || str(ev.reportingComponent);
  const instance = str(source.host) || str(ev.reportingInstance);
  return instance === '' ? component : `${component}, ${instance}`;
}

function target(ev: KObject): string {
  const involved = obj(ev.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const name = str(involved.name);
  return name !== '' ? `${kind}/${name}` : kind;
}

export const eventPrinter: Printer = {
  columns,
  print(input: KObject, now: Date) {
    const ev = toCoreEvent(input);
    const firstSeen = parseTimestamp(ev.firstTimestamp) !== undefined ? timestampSince(ev.firstTimestamp, now) : timestampSince(ev.eventTime, now);
    let lastSeen = parseTimestamp(ev.lastTimestamp) !== undefined ? timestampSince(ev.lastTimestamp, now) : firstSeen;
    let count = num(ev.count);
    const series = ev.series;
    if (series !== undefined && series !== null) {
      lastSeen = timestampSince(at(series, 'lastObservedTime'), now);
      count = num(at(series, 'count'));
    } else if (count === 0) {
      // Events created through events.k8s.io/v1 carry no count when they happened once.
      count = 1;
    }
    return {
      cells: [
        lastSeen,
        str(ev.type),
        str(ev.reason),
        target(ev),
        str(at(ev, 'involvedObject', 'fieldPath')),
        eventSource(ev),
        str(ev.message).trim(),
        firstSeen,
        count,
        nameOf(ev),
      ],
    };
  },
};
