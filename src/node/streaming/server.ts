// The node's streaming server, the kubelet's counterpart for logs, exec, attach and
// port-forward. HTTPS on loopback, one bearer token (the API server's). The API server
// proxies kubectl's upgraded connections here byte for byte, so this server speaks
// kubectl's protocols itself: WebSocket v5 and SPDY/3.1 for exec and attach, SPDY plain
// or tunnelled in WebSocket for port-forward.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError, internalError } from '../../api/errors.js';
import { attachRunner } from './attach.js';
import { streamOptions, type ExecChannels } from './exec-channels.js';
import { EXEC_SPDY_PROTOCOLS, spdyExecChannels } from './exec-over-spdy.js';
import { EXEC_WEBSOCKET_PROTOCOLS, websocketExecChannels } from './exec-over-websocket.js';
import { runExecSession, type ContainerRunner } from './exec-session.js';
import { serveContainerLogs } from './container-logs.js';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WEBSOCKET_PROTOCOL, servePortForward } from './port-forward.js';
import { spdyOverSocket, spdyOverWebSocket } from './spdy-transports.js';
import { acceptSpdy, acceptWebSocket, upgradeKind, writeStatusToSocket } from './upgrade-handshake.js';
import { WsConnection } from './websocket-connection.js';
import type { StreamingServer, StreamingServerOptions } from './types.js';

type Route =
  | { kind: 'containerLogs' | 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string };

/** `/exec/{ns}/{pod}/{container}`, `/attach/…`, `/containerLogs/…`, `/portForward/{ns}/{pod}`. */
export function parseRoute(pathname: string): Route | undefined {
  let parts: string[];
  try {
    parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [kind, namespace, pod, container, ...rest] = parts;
  if (!namespace || !pod || rest.length) return undefined;
  if (kind === 'portForward' && container === undefined) return { kind, namespace, pod };
  if ((kind === 'exec' || kind === 'attach' || kind === 'containerLogs') && container) return { kind, namespace, pod, container };
  return undefined;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m || token === '') return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startStreamingServer(opts: StreamingServerOptions): Promise<StreamingServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== '::1') throw new Error(`streaming server: ${host} is not a loopback address`);
  const sockets = new Set<Socket>();
  const server = createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    handleRequest(req, res, opts).catch((e: unknown) => writeResponseError(res, e));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    handleUpgrade(req, socket, head, opts).catch((e: unknown) => writeStatusToSocket(socket, toStatusError(e)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Follows, execs and forwards are long-lived; end them so close() completes.
        for (const s of sockets) s.destroy();
      }),
  };
}

function toStatusError(e: unknown): StatusError {
  return e instanceof StatusError ? e : internalError(e);
}

function writeResponseError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(toStatusError(e).toStatus());
  res.writeHead(toStatusError(e).code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, opts: StreamingServerOptions): Promise<void> {
  req.resume();
  if (!authorized(req, opts.token)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
  const url = new URL(req.url ?? '/', 'https://node.invalid');
  const route = parseRoute(url.pathname);
  if (!route) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  if (route.kind !== 'containerLogs') throw new StatusError(400, 'BadRequest', 'Upgrade request required');
  if (req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', `method ${req.method} is not allowed`);
  await serveContainerLogs(res, route, url.searchParams, opts, req);
}

async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: StreamingServerOptions): Promise<void> {
  if (!authorized(req, opts.token)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
  const url = new URL(req.url ?? '/', 'https://node.invalid');
  const route = parseRoute(url.pathname);
  if (!route || route.kind === 'containerLogs') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  const kind = upgradeKind(req);
  if (!kind) throw new StatusError(400, 'BadRequest', `unsupported upgrade "${req.headers.upgrade ?? ''}"`);
  if (route.kind === 'portForward') return upgradePortForward(req, socket, head, route, kind, opts);

  const r = opts.resolve(route.namespace, route.pod, route.container);
  if (!r) throw new StatusError(404, 'NotFound', `container not found ("${route.container}")`);
  if (opts.runtime.containerState(r.sandboxId, r.containerName)?.state !== 'running') {
    throw new StatusError(400, 'BadRequest', `container ${route.container} is not running in pod ${route.pod}`);
  }
  const streams = streamOptions(url.searchParams);
  if (!streams.stdin && !streams.stdout && !streams.stderr) {
    throw new StatusError(400, 'BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  }
  let argv: string[] = [];
  let run: ContainerRunner;
  if (route.kind === 'exec') {
    argv = url.searchParams.getAll('command');
    if (argv.length === 0) throw new StatusError(400, 'BadRequest', 'you must specify at least one command for the container');
    run = (io) => opts.runtime.exec(r.sandboxId, r.containerName, argv, io);
  } else {
    run = attachRunner(r, opts, route);
  }

  let channels: ExecChannels;
  if (kind === 'websocket') {
    const protocol = acceptWebSocket(req, socket, EXEC_WEBSOCKET_PROTOCOLS);
    channels = websocketExecChannels(new WsConnection(socket, 'server', head), protocol, streams);
  } else {
    acceptSpdy(req, socket, EXEC_SPDY_PROTOCOLS);
    try {
      channels = await spdyExecChannels(spdyOverSocket(socket, 'server', head), streams);
    } catch {
      // The client never opened its streams or went away: nothing to report to.
      socket.destroy();
      return;
    }
  }
  await runExecSession(channels, streams.tty, argv, run);
}

function upgradePortForward(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  route: { namespace: string; pod: string },
  kind: 'websocket' | 'spdy',
  opts: StreamingServerOptions,
): void {
  const r = opts.resolve(route.namespace, route.pod, undefined);
  if (!r) throw new StatusError(404, 'NotFound', `pod not found ("${route.pod}")`);
  const target = { podName: route.pod, podUid: r.podUid, dial: (port: number) => opts.runtime.dial(r.sandboxId, port) };
  if (kind === 'websocket') {
    acceptWebSocket(req, socket, [PORT_FORWARD_WEBSOCKET_PROTOCOL]);
    servePortForward(spdyOverWebSocket(new WsConnection(socket, 'server', head), 'server'), target);
  } else {
    acceptSpdy(req, socket, [PORT_FORWARD_PROTOCOL]);
    servePortForward(spdyOverSocket(socket, 'server', head), target);
  }
}
