// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint. Picks the
// attempt (current or --previous), then streams its CRI log as plain text; with follow,
// until that attempt stops or the client goes away.

import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../../api/errors.js';
import { readLog, type LogReadOptions } from './log-reader.js';
import type { ContainerResolver, ResolvedContainer, StreamingServerOptions } from './types.js';

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceMs?: number;
  limitBytes?: number;
}

function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

function flag(q: URLSearchParams, k: string): boolean {
  return ['1', 'true'].includes((q.get(k) ?? '').toLowerCase());
}

function integer(q: URLSearchParams, k: string, min: number): number | undefined {
  const raw = q.get(k);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw badRequest(`${k}: Invalid value: "${raw}": must be an integer greater than or equal to ${min}`);
  return n;
}

export function parseLogQuery(q: URLSearchParams, now: number): LogQuery {
  const sinceSeconds = integer(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = now - sinceSeconds * 1000;
  else if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw badRequest(`sinceTime: Invalid value: "${sinceTime}": not an RFC 3339 time`);
  }
  return {
    follow: flag(q, 'follow'),
    previous: flag(q, 'previous'),
    timestamps: flag(q, 'timestamps'),
    tailLines: integer(q, 'tailLines', 0),
    sinceMs,
    limitBytes: integer(q, 'limitBytes', 1),
  };
}

/** The attempt to read, or the kubelet's error for why there is none. */
export function pickAttempt(r: ResolvedContainer, pod: string, previous: boolean): number {
  const c = r.containerName;
  if (previous) {
    if (r.previousAttempt === undefined) throw badRequest(`previous terminated container "${c}" in pod "${pod}" not found`);
    return r.previousAttempt;
  }
  if (r.attempt === undefined) throw badRequest(`container "${c}" in pod "${pod}" is waiting to start: ${r.waitingReason ?? 'ContainerCreating'}`);
  return r.attempt;
}

type Deps = Pick<StreamingServerOptions, 'runtime' | 'logPollMs'> & { resolve: ContainerResolver };

export async function serveContainerLogs(
  res: ServerResponse,
  target: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
  deps: Deps,
  _req?: IncomingMessage,
): Promise<void> {
  const opts = parseLogQuery(query, Date.now());
  const r = deps.resolve(target.namespace, target.pod, target.container);
  if (!r) throw new StatusError(404, 'NotFound', `container "${target.container}" in pod "${target.pod}" is not available`);
  const attempt = pickAttempt(r, target.pod, opts.previous);
  const path = deps.runtime.logPath(r.sandboxId, r.containerName, attempt);

  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const isFinished = () => {
    const now = deps.resolve(target.namespace, target.pod, target.container);
    if (!now || now.attempt !== attempt) return true;
    return deps.runtime.containerState(r.sandboxId, r.containerName)?.state !== 'running';
  };
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  // Send the headers now: with follow, the first line may be a long way off.
  res.flushHeaders();
  const sink = async (chunk: Buffer) => {
    if (!res.write(chunk)) await drainOrClose(res);
  };
  const readOpts: LogReadOptions = {
    tailLines: opts.tailLines,
    sinceMs: opts.sinceMs,
    limitBytes: opts.limitBytes,
    timestamps: opts.timestamps,
    follow: opts.follow,
    isFinished,
    signal: abort.signal,
    pollMs: deps.logPollMs,
  };
  try {
    if (await waitForFile(path, opts.follow, isFinished, abort.signal, deps.logPollMs ?? 250)) await readLog(path, readOpts, sink);
  } finally {
    if (!res.writableEnded) res.end();
  }
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A container that has not written yet may have no file: wait for it while following. */
async function waitForFile(path: string, follow: boolean, isFinished: () => boolean, signal: AbortSignal, pollMs: number): Promise<boolean> {
  for (;;) {
    try {
      await access(path);
      return true;
    } catch {
      if (!follow || isFinished() || signal.aborted) return false;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
