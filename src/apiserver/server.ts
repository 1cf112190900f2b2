// The HTTPS front: authentication, then routing to discovery, OpenAPI, health and the
// resource handlers. Everything a handler throws becomes a Kubernetes Status.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { notFound, StatusError, methodNotAllowed } from '../api/errors.js';
import type { ApiContext } from './api-context.js';
import { authenticate, isPublicPath, unauthorizedError } from './auth.js';
import { parseRequestPath } from './request-info.js';
import { writeError, writeJson } from './respond.js';
import { handleDelete, handleDeleteCollection, handleCreate, handleUpdate, handlePatch, handleBinding, type Target } from './write-handlers.js';
import { handleGet, handleList, handleWatch } from './read-handlers.js';
import { serveNonResource } from './non-resource.js';
import { handleApiUpgrade, isNodeSubresource, serveNodeSubresource } from './node-proxy.js';

export interface ApiServerOptions {
  context: ApiContext;
  token: string;
  cert: string;
  key: string;
}

export function createApiServer(opts: ApiServerOptions): Server {
  const server = createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    handle(req, res, opts).catch((e: unknown) => writeError(res, e));
  });
  server.keepAliveTimeout = 60_000;
  // exec, attach and port-forward arrive as upgrade requests (WebSocket or SPDY/3.1).
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleApiUpgrade(req, socket, head, opts.context, opts.token));
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  if (!authenticate(req, opts.token) && !isPublicPath(url.pathname)) {
    req.resume();
    throw unauthorizedError();
  }
  const target = parseRequestPath(url.pathname);
  if (target.type === 'other') {
    if (serveNonResource(req, res, url, opts.context)) return;
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (target.type === 'unknown-resource') {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  const { info, namespace, name, subresource } = target;
  if (info.namespaced && namespace === undefined && name !== undefined) {
    // e.g. /api/v1/pods/foo: a namespaced object needs its namespace.
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (subresource && !info.subresources.some((s) => s.name === subresource)) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  const t: Target = { info, namespace, name, subresource };
  await dispatch(req, res, t, url.searchParams, opts.context);
}

async function dispatch(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const method = req.method ?? 'GET';
  if (t.info.plural === 'bindings') {
    if (method !== 'POST') throw methodNotAllowed();
    return handleBinding(req, res, t, query, ctx);
  }
  if (t.subresource === 'binding') {
    if (method !== 'POST') throw methodNotAllowed();
    return handleBinding(req, res, t, query, ctx);
  }
  if (isNodeSubresource(t.subresource)) return serveNodeSubresource(req, res, t, query, ctx);
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (t.name === undefined) {
    switch (method) {
      case 'GET':
        return isWatch ? handleWatch(req, res, t, query, ctx) : handleList(req, res, t, query, ctx);
      case 'POST':
        return handleCreate(req, res, t, query, ctx);
      case 'DELETE':
        if (!t.info.verbs.includes('deletecollection')) throw methodNotAllowed();
        return handleDeleteCollection(req, res, t, query, ctx);
      default:
        throw methodNotAllowed();
    }
  }
  switch (method) {
    case 'GET':
      if (isWatch) return handleWatch(req, res, t, query, ctx);
      return handleGet(req, res, t, query, ctx);
    case 'PUT':
      return handleUpdate(req, res, t, query, ctx);
    case 'PATCH':
      return handlePatch(req, res, t, query, ctx);
    case 'DELETE':
      if (t.subresource) throw methodNotAllowed();
      return handleDelete(req, res, t, query, ctx);
    default:
      throw methodNotAllowed();
  }
}

export { notFound, writeJson };
