// core/v1 Event and events.k8s.io/v1 Event are one stored object seen through two APIs with
// different field names. These converters map between the two JSON shapes, filling the fields
// each version always serializes (Go zero values) so either side looks like the real apiserver's.

import { clone, isPlainObject, type KObject } from './object.js';

const CORE_API_VERSION = 'v1';
const EVENTS_API_VERSION = 'events.k8s.io/v1';

/** Fields with the same name and meaning in both versions. */
const SHARED_FIELDS = ['eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'] as const;

/** core name → events.k8s.io name for the renamed fields. */
const RENAMED: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

export function isEventsV1(o: KObject): boolean {
  return o.apiVersion === EVENTS_API_VERSION;
}

function copyPresent(from: KObject, to: KObject, src: string, dst: string): void {
  if (from[src] !== undefined) to[dst] = clone(from[src]);
}

function emptyIfZero(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0;
}

/** events.k8s.io/v1 shape → core/v1 shape. */
export function eventsV1ToCore(ev: KObject): KObject {
  const out: KObject = { kind: 'Event', apiVersion: CORE_API_VERSION, metadata: clone(ev.metadata) };
  for (const [core, v1] of RENAMED) copyPresent(ev, out, v1, core);
  for (const f of SHARED_FIELDS) copyPresent(ev, out, f, f);
  // Fields core/v1 serializes even when empty.
  if (!isPlainObject(out.involvedObject)) out.involvedObject = {};
  if (!isPlainObject(out.source)) out.source = {};
  for (const f of ['firstTimestamp', 'lastTimestamp', 'eventTime']) if (out[f] === undefined) out[f] = null;
  if (out.reportingComponent === undefined) out.reportingComponent = '';
  if (out.reportingInstance === undefined) out.reportingInstance = '';
  if (emptyIfZero(out.count)) delete out.count;
  return out;
}

/** core/v1 shape → events.k8s.io/v1 shape. */
export function coreEventToEventsV1(ev: KObject): KObject {
  const out: KObject = { kind: 'Event', apiVersion: EVENTS_API_VERSION, metadata: clone(ev.metadata) };
  for (const [core, v1] of RENAMED) copyPresent(ev, out, core, v1);
  for (const f of SHARED_FIELDS) copyPresent(ev, out, f, f);
  // Fields events.k8s.io/v1 serializes even when empty; the string ones it omits when empty.
  if (!isPlainObject(out.regarding)) out.regarding = {};
  if (!isPlainObject(out.deprecatedSource)) out.deprecatedSource = {};
  for (const f of ['eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp']) if (out[f] === undefined) out[f] = null;
  for (const f of ['reportingController', 'reportingInstance', 'action', 'reason', 'note', 'type', 'deprecatedCount']) {
    if (emptyIfZero(out[f])) delete out[f];
  }
  return out;
}

/** Whichever shape comes in, the core/v1 one (what the printers and field selectors read). */
export function toCoreEvent(ev: KObject): KObject {
  return isEventsV1(ev) ? eventsV1ToCore(ev) : ev;
}
