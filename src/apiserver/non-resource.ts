// Paths that are not resources: /version, health checks, discovery and OpenAPI.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../api/errors.js';
import type { ApiContext } from './api-context.js';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  legacyAPIVersions,
  negotiateDiscovery,
} from './discovery.js';
import { openapiV2 } from './openapi/v2.js';
import { openapiV3, type OpenApiResponse } from './openapi/v3.js';
import { writeJson } from './respond.js';
import { SERVER_VERSION } from './version.js';

function text(res: ServerResponse, code: number, body: string | Buffer, contentType: string): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendOpenApi(res: ServerResponse, doc: OpenApiResponse): void {
  res.writeHead(doc.status, { ...doc.headers, 'Content-Type': doc.contentType, 'Content-Length': Buffer.byteLength(doc.body) });
  res.end(doc.body);
}

function discoveryRoot(req: IncomingMessage, res: ServerResponse, scope: 'api' | 'apis'): void {
  const rep = negotiateDiscovery(req.headers.accept);
  if (!rep) throw new StatusError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  if (rep.kind === 'aggregated') {
    writeJson(res, 200, aggregatedDiscovery(scope, rep.version), rep.contentType);
    return;
  }
  const host = req.headers.host ?? '127.0.0.1';
  writeJson(res, 200, scope === 'api' ? legacyAPIVersions(host) : apiGroupList());
}

/** Returns false when the path is not one of these. */
export function serveNonResource(req: IncomingMessage, res: ServerResponse, url: URL, _ctx: ApiContext): boolean {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/version') {
    writeJson(res, 200, SERVER_VERSION);
    return true;
  }
  if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
    text(res, 200, 'ok', 'text/plain; charset=utf-8');
    return true;
  }
  if (path === '/api' || path === '/apis') {
    discoveryRoot(req, res, path === '/api' ? 'api' : 'apis');
    return true;
  }
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const doc = apiResourceList('', parts[1]!);
    if (!doc) return false;
    writeJson(res, 200, doc);
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroupDocument(parts[1]!);
    if (!doc) return false;
    writeJson(res, 200, doc);
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const doc = apiResourceList(parts[1]!, parts[2]!);
    if (!doc) return false;
    writeJson(res, 200, doc);
    return true;
  }
  if (path === '/openapi/v2') {
    sendOpenApi(res, openapiV2(req.headers.accept));
    return true;
  }
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
    const doc = openapiV3(path.slice('/openapi/v3'.length).replace(/^\//, ''));
    if (!doc) return false;
    sendOpenApi(res, doc);
    return true;
  }
  return false;
}
