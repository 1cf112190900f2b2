// A watch over HTTP: one long GET whose body is newline-delimited JSON events. An ERROR
// event (e.g. 410 Expired) ends the watch with its StatusError; the server ending the
// response is a normal close; a broken connection closes with the network error.
// After stop(), no callback runs.

import type { ClientRequest, IncomingMessage } from 'node:http';
import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { WatchCallbacks, WatchEventType, WatchHandle } from '../types.js';
import { statusErrorFromStatus, type HttpTransport, type RequestSpec } from './transport.js';

const EVENT_TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

export class HttpWatch implements WatchHandle {
  private req: ClientRequest | undefined;
  private res: IncomingMessage | undefined;
  private done = false;
  private buffered = '';

  constructor(transport: HttpTransport, spec: RequestSpec, private readonly cb: WatchCallbacks) {
    transport
      .stream(spec, (req) => {
        this.req = req;
        // Keep-alive probes notice a peer that vanished without closing the connection.
        req.on('socket', (s) => s.setKeepAlive(true, 30_000));
      })
      .then(
        (res) => this.attach(res),
        (err) => this.finish(err instanceof Error ? err : new Error(String(err))),
      );
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    this.res?.destroy();
    this.req?.destroy();
  }

  private attach(res: IncomingMessage): void {
    this.res = res;
    if (this.done) {
      res.destroy();
      return;
    }
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.onData(chunk));
    res.on('end', () => {
      if (this.buffered.trim()) this.onLine(this.buffered);
      this.finish();
    });
    res.on('error', (e) => this.finish(e));
    res.on('close', () => this.finish(res.complete ? undefined : new Error('watch connection closed before the response ended')));
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while (!this.done && (nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.done) return;
    let ev: { type?: string; object?: unknown };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch {
      this.fail(new Error(`watch: malformed event: ${line.slice(0, 200)}`));
      return;
    }
    if (ev.type === 'ERROR') {
      this.fail(statusErrorFromStatus(ev.object, 500));
      return;
    }
    if (!ev.type || !EVENT_TYPES.has(ev.type) || !ev.object || typeof ev.object !== 'object') {
      this.fail(new Error(`watch: unexpected event: ${line.slice(0, 200)}`));
      return;
    }
    try {
      this.cb.onEvent({ type: ev.type as WatchEventType, object: ev.object as KObject });
    } catch (err) {
      console.error('http watch: event handler threw:', err);
    }
  }

  private fail(err: StatusError | Error): void {
    this.finish(err);
    this.res?.destroy();
    this.req?.destroy();
  }

  private finish(err?: StatusError | Error): void {
    if (this.done) return;
    this.done = true;
    this.cb.onClose(err);
  }
}
