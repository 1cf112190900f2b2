// pods/log, pods/exec, pods/attach and pods/portforward: as upstream's apiserver does with
// the kubelet, find the pod's node and hand the request to that node's streaming server.
// Logs are a plain proxied GET; exec, attach and port-forward are upgraded connections
// relayed byte for byte, so the node speaks kubectl's protocols itself.
//
// Only agents this ordinal runs are ever contacted: the Node must record a loopback
// address or one of the configured bridge addresses, and the connection always goes to
// 127.0.0.1 (the streaming server binds loopback only). Anything else is refused.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { StatusError, internalError, type StatusReason } from '../api/errors.js';
import { mustFindResource } from '../api/resources.js';
import type { KObject } from '../api/object.js';
import type { ApiContext } from './api-context.js';
import { authenticate, unauthorizedError } from './auth.js';
import { parseRequestPath } from './request-info.js';
import type { Target } from './write-handlers.js';

export const NODE_SUBRESOURCES = ['log', 'exec', 'attach', 'portforward'] as const;

export function isNodeSubresource(s: string | undefined): boolean {
  return s !== undefined && (NODE_SUBRESOURCES as readonly string[]).includes(s);
}

interface Container {
  name: string;
}

interface PodShape {
  metadata: { name: string; namespace?: string };
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[] };
}

interface NodeShape {
  status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** Upstream's container defaulting and validation (init and ephemeral containers count). */
export function validateContainer(pod: PodShape, requested: string): string {
  const spec = pod.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  const name = pod.metadata.name;
  if (requested === '') {
    const containers = spec.containers ?? [];
    if (containers.length === 1) return containers[0]!.name;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function isLoopbackAddress(a: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(a) || a === '::1';
}

/** The port of the node's streaming server, once the node is known to be one of ours. */
export function nodeStreamingPort(ctx: ApiContext, nodeName: string): number {
  const streaming = ctx.nodeStreaming;
  if (!streaming) throw new StatusError(503, 'ServiceUnavailable', 'this server has no node streaming endpoint configured (no node agent runs)');
  const node = ctx.registry.get(mustFindResource('', 'nodes'), undefined, nodeName) as KObject & NodeShape;
  const addresses = node.status?.addresses ?? [];
  const address = (addresses.find((a) => a.type === 'InternalIP') ?? addresses[0])?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!address || !port) throw new StatusError(503, 'ServiceUnavailable', `node "${nodeName}" does not report a streaming endpoint (status.addresses, status.daemonEndpoints.kubeletEndpoint.Port)`);
  if (!isLoopbackAddress(address) && !streaming.allowedAddresses.includes(address)) {
    throw new StatusError(
      403,
      'Forbidden',
      `node "${nodeName}" reports its streaming endpoint at ${address}:${port}, which is not an agent this ordinal runs (loopback${streaming.allowedAddresses.map((a) => ', ' + a).join('')}); refusing to connect`,
    );
  }
  return port;
}

function getPod(ctx: ApiContext, t: Target): PodShape {
  return ctx.registry.get(t.info, t.namespace, t.name!) as unknown as PodShape;
}

/** The node-side path and query for a pod subresource; undefined when there is nothing to reach. */
function nodeTarget(ctx: ApiContext, t: Target, query: URLSearchParams): { port: number; path: string } | undefined {
  const pod = getPod(ctx, t);
  const ns = encodeURIComponent(pod.metadata.namespace ?? t.namespace ?? '');
  const podName = encodeURIComponent(pod.metadata.name);
  const forward = new URLSearchParams(query);
  forward.delete('container');
  let path: string;
  if (t.subresource === 'portforward') path = `/portForward/${ns}/${podName}`;
  else {
    const container = encodeURIComponent(validateContainer(pod, query.get('container') ?? ''));
    path = `/${t.subresource === 'log' ? 'containerLogs' : t.subresource}/${ns}/${podName}/${container}`;
  }
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName === '') {
    // Upstream: logs of an unscheduled pod are an empty stream; the rest is an error.
    if (t.subresource === 'log') return undefined;
    throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  }
  const qs = forward.toString();
  return { port: nodeStreamingPort(ctx, nodeName), path: qs ? `${path}?${qs}` : path };
}

/** Non-upgrade requests for the node subresources: logs are proxied, the rest need an upgrade. */
export async function serveNodeSubresource(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  req.resume();
  if (t.subresource !== 'log') {
    getPod(ctx, t);
    throw badRequest('Upgrade request required');
  }
  if (req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  const target = nodeTarget(ctx, t, query);
  if (!target) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
    res.end();
    return;
  }
  await proxyLog(res, target, ctx.nodeStreaming!);
}

function reasonFor(code: number): StatusReason {
  const m: Record<number, StatusReason> = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 503: 'ServiceUnavailable' };
  return m[code] ?? 'InternalError';
}

/** A node error answer becomes the client's Status, keeping the node's message. */
function nodeError(code: number, body: string): StatusError {
  try {
    const s = JSON.parse(body) as { kind?: string; message?: string; reason?: StatusReason; code?: number };
    if (s.kind === 'Status' && s.message) return new StatusError(s.code ?? code, s.reason ?? reasonFor(code), s.message);
  } catch {
    // Plain text: used as the message below.
  }
  return new StatusError(code === 401 ? 500 : code, code === 401 ? 'InternalError' : reasonFor(code), body.trim() || `node answered ${code}`);
}

function proxyLog(res: ServerResponse, target: { port: number; path: string }, streaming: NonNullable<ApiContext['nodeStreaming']>): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpsRequest(
      { host: '127.0.0.1', port: target.port, path: target.path, method: 'GET', ca: streaming.ca, agent: false, headers: { Authorization: `Bearer ${streaming.token}` } },
      (up) => {
        if (up.statusCode !== 200) {
          let body = '';
          up.setEncoding('utf8');
          up.on('data', (d: string) => {
            if (body.length < 64 * 1024) body += d;
          });
          up.on('end', () => reject(nodeError(up.statusCode ?? 500, body)));
          up.on('error', reject);
          return;
        }
        res.writeHead(200, { 'Content-Type': up.headers['content-type'] ?? 'text/plain' });
        res.flushHeaders();
        up.pipe(res);
        up.on('end', () => resolve());
        up.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    // kubectl stops a follow by closing its connection (res 'close', not req 'close').
    res.on('close', () => upstream.destroy());
    upstream.on('error', (e) => {
      if (res.headersSent) {
        res.destroy();
        resolve();
      } else reject(new StatusError(503, 'ServiceUnavailable', `error dialing backend: ${e.message}`));
    });
    upstream.end();
  });
}

/** Headers of the client's request that the node must not see (ours replace them). */
const DROPPED_HEADERS = new Set(['authorization', 'host', 'proxy-authorization']);

function requestHead(req: IncomingMessage, path: string, port: number, token: string): string {
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Authorization: Bearer ${token}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!DROPPED_HEADERS.has(name.toLowerCase())) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  return lines.join('\r\n') + '\r\n\r\n';
}

function writeSocketError(socket: Duplex, err: StatusError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The API server's `upgrade` listener: exec, attach and port-forward go to the node. */
export function handleApiUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: ApiContext, token: string): void {
  socket.on('error', () => socket.destroy());
  try {
    if (!authenticate(req, token)) throw unauthorizedError();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const target = parseRequestPath(url.pathname);
    if (
      target.type !== 'resource' ||
      target.info.plural !== 'pods' ||
      target.info.group !== '' ||
      !target.namespace ||
      !target.name ||
      !isNodeSubresource(target.subresource) ||
      target.subresource === 'log'
    ) {
      throw badRequest('this server upgrades only pods/exec, pods/attach and pods/portforward requests');
    }
    if (req.method !== 'GET' && req.method !== 'POST') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const t: Target = { info: target.info, namespace: target.namespace, name: target.name, subresource: target.subresource };
    const node = nodeTarget(ctx, t, url.searchParams)!;
    relay(req, socket, head, node, ctx.nodeStreaming!);
  } catch (e) {
    writeSocketError(socket, e instanceof StatusError ? e : internalError(e));
  }
}

function relay(req: IncomingMessage, client: Duplex, head: Buffer, target: { port: number; path: string }, streaming: NonNullable<ApiContext['nodeStreaming']>): void {
  let connected = false;
  const upstream: TLSSocket = tlsConnect({ host: '127.0.0.1', port: target.port, ca: streaming.ca }, () => {
    connected = true;
    upstream.write(requestHead(req, target.path, target.port, streaming.token));
    if (head.length) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.on('error', (e) => {
    if (!connected) writeSocketError(client, new StatusError(503, 'ServiceUnavailable', `error dialing backend: ${e.message}`));
    else client.destroy();
  });
  upstream.on('close', () => {
    if (connected) client.destroy();
  });
  client.on('close', () => upstream.destroy());
}
