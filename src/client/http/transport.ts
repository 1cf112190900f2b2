// HTTP(S) requests to one API server with keep-alive connections: JSON in, JSON out, a
// Status body turned into a StatusError, 401 answered by refreshing a rotating credential
// once, and 429/5xx with Retry-After retried a few times as client-go does.

import * as http from 'node:http';
import * as https from 'node:https';
import { StatusError, type StatusReason } from '../../api/errors.js';
import { Credentials } from './credentials.js';
import type { KubeconfigConnection } from './kubeconfig.js';

export interface TransportOptions {
  userAgent?: string;
  /** For everything but watches. Default 60 s. */
  requestTimeoutMs?: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  contentType?: string;
}

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when empty. */
  json: unknown;
}

const MAX_RETRIES = 5;

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** A StatusError from a `Status` object (a failed response body or a watch ERROR event). */
export function statusErrorFromStatus(status: unknown, httpCode: number): StatusError {
  if (status && typeof status === 'object' && (status as { kind?: unknown }).kind === 'Status') {
    const s = status as { code?: number; reason?: StatusReason; message?: string; details?: StatusError['details'] };
    const code = typeof s.code === 'number' && s.code > 0 ? s.code : httpCode;
    return new StatusError(code, s.reason ?? REASONS[code], s.message ?? `the server responded with status ${code}`, s.details);
  }
  return new StatusError(httpCode, REASONS[httpCode], `the server responded with status ${httpCode}`);
}

function errorFromBody(code: number, text: string): StatusError {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) return statusErrorFromStatus(parsed, code);
  const snippet = text.trim().slice(0, 200);
  return new StatusError(code, REASONS[code], snippet ? `the server responded with status ${code}: ${snippet}` : `the server responded with status ${code}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly credentials: Credentials;
  private readonly requestTimeoutMs: number;
  private readonly userAgent: string;

  constructor(readonly conn: KubeconfigConnection, opts: TransportOptions = {}) {
    this.base = new URL(conn.server);
    this.credentials = new Credentials(conn);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.userAgent = opts.userAgent ?? 'ordinal/0.1';
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: conn.ca,
            cert: conn.cert,
            key: conn.key,
            rejectUnauthorized: !conn.insecureSkipTLSVerify,
            servername: conn.tlsServerName,
          })
        : new http.Agent({ keepAlive: true });
  }

  /** A request whose answer is one JSON document; non-2xx rejects with a StatusError. */
  async request(spec: RequestSpec): Promise<JsonResponse> {
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    for (let attempt = 0; ; attempt++) {
      const res = await this.open(spec, payload, this.requestTimeoutMs);
      const text = await readAll(res, spec, this.requestTimeoutMs);
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 300) {
        return { status: code, json: text ? JSON.parse(text) : undefined };
      }
      if (code === 401 && attempt === 0 && this.credentials.invalidate()) continue;
      const retryAfter = Number(res.headers['retry-after']);
      if ((code === 429 || code >= 500) && Number.isFinite(retryAfter) && attempt < MAX_RETRIES) {
        await sleep(Math.min(Math.max(retryAfter, 1), 10) * 1000);
        continue;
      }
      throw errorFromBody(code, text);
    }
  }

  /** Opens a streaming request (a watch); no timeout: the server ends it. */
  async stream(spec: RequestSpec, onRequest: (req: http.ClientRequest) => void): Promise<http.IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.open(spec, undefined, 0, onRequest);
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 300) return res;
      const text = await readAll(res, spec, this.requestTimeoutMs);
      if (code === 401 && attempt === 0 && this.credentials.invalidate()) continue;
      throw errorFromBody(code, text);
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private url(spec: RequestSpec): URL {
    const url = new URL(this.base.href);
    url.pathname = this.base.pathname.replace(/\/+$/, '') + spec.path;
    if (spec.query) url.search = spec.query.toString();
    return url;
  }

  private async open(spec: RequestSpec, payload: Buffer | undefined, timeoutMs: number, onRequest?: (req: http.ClientRequest) => void): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.userAgent };
    const auth = await this.credentials.authorization();
    if (auth) headers.Authorization = auth;
    if (payload) {
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const url = this.url(spec);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: spec.method, headers, agent: this.agent }, resolve);
      req.on('error', (e) => reject(new Error(`${spec.method} ${url.pathname}: ${e.message}`, { cause: e })));
      if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      onRequest?.(req);
      req.end(payload);
    });
  }
}

async function readAll(res: http.IncomingMessage, spec: RequestSpec, timeoutMs: number): Promise<string> {
  const chunks: Buffer[] = [];
  const timer = setTimeout(() => res.destroy(new Error(`${spec.method} ${spec.path}: response timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    for await (const c of res) chunks.push(c as Buffer);
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
