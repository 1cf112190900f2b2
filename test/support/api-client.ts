// A raw HTTPS client for the API server (no kubectl, no client library), so
// tests can send exactly the bytes they mean and see exactly what comes back.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { KubeconfigInfo } from './kubeconfig.js';

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  json: any;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** undefined: the kubeconfig token; null: no Authorization header; a string: that token. */
  token?: string | null;
  timeoutMs?: number;
}

export interface WatchEvent { type: string; object: any }

export interface WatchStream {
  status: number;
  events: WatchEvent[];
  /** True once the server ended the response. */
  ended(): boolean;
  close(): void;
}

export class ApiClient {
  readonly agent: Agent;
  constructor(readonly info: KubeconfigInfo, opts: { maxSockets?: number } = {}) {
    this.agent = new Agent({ ca: info.ca, keepAlive: true, maxSockets: opts.maxSockets ?? 32 });
  }

  private open(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const url = new URL(path, this.info.server);
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    const token = opts.token === undefined ? this.info.token : opts.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      const isRaw = typeof opts.body === 'string' || Buffer.isBuffer(opts.body);
      payload = isRaw ? Buffer.from(opts.body as string | Buffer) : Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, agent: this.agent }, resolve);
      req.on('error', reject);
      if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.end(payload);
    });
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const res = await this.open(method, path, { timeoutMs: 30_000, ...opts });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let json: any;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.statusCode ?? 0, headers: res.headers, text, json };
  }

  get(path: string, opts?: RequestOptions) { return this.request('GET', path, opts); }
  post(path: string, body: unknown, opts?: RequestOptions) { return this.request('POST', path, { ...opts, body }); }
  put(path: string, body: unknown, opts?: RequestOptions) { return this.request('PUT', path, { ...opts, body }); }
  delete(path: string, opts?: RequestOptions) { return this.request('DELETE', path, opts); }

  /**
   * Opens a watch (the caller adds watch=true etc. to the path) and collects its
   * events; onEvent, when given, sees each event as it arrives (for latency figures).
   */
  async watch(path: string, opts: RequestOptions = {}, onEvent?: (e: WatchEvent) => void): Promise<WatchStream> {
    const res = await this.open('GET', path, opts);
    const events: WatchEvent[] = [];
    let ended = false;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) {
          let ev: WatchEvent;
          try { ev = JSON.parse(line) as WatchEvent; } catch { ev = { type: 'UNPARSEABLE', object: line }; }
          events.push(ev);
          onEvent?.(ev);
        }
      }
    });
    res.on('end', () => { ended = true; });
    res.on('close', () => { ended = true; });
    res.on('error', () => { ended = true; });
    return {
      status: res.statusCode ?? 0,
      events,
      ended: () => ended,
      close: () => res.destroy(),
    };
  }

  close(): void { this.agent.destroy(); }
}
