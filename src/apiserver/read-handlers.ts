// GET of one object, LIST, and WATCH (newline-delimited JSON events over a chunked
// response), each as objects or as meta.k8s.io Tables.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../api/object.js';
import { groupVersion } from '../api/resources.js';
import { toTable } from '../api/printers/table.js';
import { scaleFromStatefulSet } from '../registry/kinds/scale.js';
import type { ApiContext } from './api-context.js';
import { wantsTable, type TableRequest } from './negotiate.js';
import { intParam } from './query-options.js';
import { toStatusError, writeJson } from './respond.js';
import type { Target } from './write-handlers.js';
import { methodNotAllowed, notFound } from '../api/errors.js';

function table(t: Target, objects: KObject[], tr: TableRequest, ctx: ApiContext, resourceVersion: string, continueToken?: string): unknown {
  const out = toTable(t.info, objects, { now: ctx.now(), resourceVersion, continueToken, includeObject: tr.includeObject }) as unknown as Record<string, unknown>;
  out.apiVersion = tr.apiVersion;
  return out;
}

export function handleGet(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): void {
  const obj = ctx.registry.get(t.info, t.namespace, t.name!);
  if (t.subresource === 'scale') {
    if (t.info.plural !== 'statefulsets') throw notFound(t.info.group, `${t.info.plural}/scale`, t.name!);
    writeJson(res, 200, scaleFromStatefulSet(obj));
    return;
  }
  if (t.subresource && t.subresource !== 'status') throw methodNotAllowed();
  const tr = wantsTable(req, query);
  writeJson(res, 200, tr ? table(t, [obj], tr, ctx, obj.metadata.resourceVersion ?? '') : obj);
}

export function handleList(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): void {
  const result = ctx.registry.list(t.info, t.namespace, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: intParam(query, 'limit'),
    continue: query.get('continue') ?? undefined,
  });
  const tr = wantsTable(req, query);
  if (tr) {
    writeJson(res, 200, table(t, result.items, tr, ctx, result.resourceVersion, result.continue));
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  // Like the real apiserver, list items carry no kind/apiVersion of their own.
  const items = result.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  writeJson(res, 200, { kind: t.info.listKind, apiVersion: groupVersion(t.info), metadata, items });
}

// Upstream sends bookmarks about once a minute; sooner keeps idle informers' RVs fresh.
// Every watcher of a resource receives the same event in a row: serialise it once.
let lastEvent: { key: string; text: string } | undefined;
function serializedEvent(group: string, version: string, type: string, object: KObject): string {
  const key = `${group}/${version}|${type}|${object.metadata.uid}|${object.metadata.resourceVersion}`;
  if (lastEvent?.key !== key) lastEvent = { key, text: JSON.stringify({ type, object }) + '\n' };
  return lastEvent.text;
}

const BOOKMARK_INTERVAL_MS = 10_000;

export function handleWatch(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): void {
  const tr = wantsTable(req, query);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  // Without timeoutSeconds upstream picks a random timeout around its min request timeout.
  const timeoutSeconds = intParam(query, 'timeoutSeconds') ?? 1800 + Math.floor(Math.random() * 1800);
  const fieldSelector = t.name ? [`metadata.name=${t.name}`, query.get('fieldSelector')].filter(Boolean).join(',') : query.get('fieldSelector') ?? undefined;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let lastRevision = query.get('resourceVersion') ?? '';
  const send = (type: string, object: unknown) => {
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const sendObject = (type: string, object: KObject) => {
    lastRevision = object.metadata.resourceVersion ?? lastRevision;
    if (tr) {
      send(type, table(t, [object], tr, ctx, object.metadata.resourceVersion ?? ''));
      return;
    }
    res.write(serializedEvent(t.info.group, t.info.version, type, object));
  };

  let stop: (() => void) | undefined;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const tm of timers) clearTimeout(tm);
    stop?.();
    res.end();
  };
  // A request's 'close' fires once its body is read (Node 20); the response's is the real end.
  res.on('close', finish);

  try {
    stop = ctx.registry.watch(
      t.info,
      t.namespace,
      { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector, resourceVersion: query.get('resourceVersion') ?? undefined },
      (type, object) => {
        if (!closed) sendObject(type, object);
      },
    );
  } catch (e) {
    send('ERROR', toStatusError(e).toStatus());
    finish();
    return;
  }
  if (closed) {
    stop?.();
    return;
  }
  timers.push(setTimeout(finish, timeoutSeconds * 1000));
  if (bookmarks) {
    const tick = () => {
      if (closed) return;
      const rv = String(ctx.registry.currentRevision);
      send('BOOKMARK', { kind: t.info.kind, apiVersion: groupVersion(t.info), metadata: { resourceVersion: rv } });
      lastRevision = rv;
      timers.push(setTimeout(tick, interval).unref());
    };
    const interval = ctx.bookmarkIntervalMs ?? BOOKMARK_INTERVAL_MS;
    timers.push(setTimeout(tick, interval).unref());
  }
}
