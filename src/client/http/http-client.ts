// The HTTPS transport of Client, from a kubeconfig, on node:https. It speaks only the plain
// Kubernetes REST API (JSON), so it works against ordinal and against any real cluster.
// Written on node:https rather than @kubernetes/client-node: no runtime dependency, and no
// half-second import cost for the `ordinal controllers` command.

import { StatusError } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ListResult,
  PatchOptions,
  PatchType,
  WatchCallbacks,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from '../types.js';
import { loadKubeconfig, type KubeconfigConnection } from './kubeconfig.js';
import { listQuery, resourcePath, watchQuery, writeQuery } from './paths.js';
import { HttpTransport, type TransportOptions } from './transport.js';
import { HttpWatch } from './watch-stream.js';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

function nameOf(obj: KObject): string {
  const name = obj?.metadata?.name;
  if (!name) throw new StatusError(400, 'BadRequest', 'name is required');
  return name;
}

function asObject(json: unknown, what: string): KObject {
  if (!isPlainObject(json) || !isPlainObject(json.metadata)) throw new Error(`${what}: the server answered something that is not an object`);
  return json as KObject;
}

export class HttpClient implements Client {
  readonly transport: HttpTransport;

  constructor(readonly connection: KubeconfigConnection, opts: TransportOptions = {}) {
    this.transport = new HttpTransport(connection, opts);
  }

  async get(res: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    const r = await this.transport.request({ method: 'GET', path: resourcePath(res, namespace, name) });
    return asObject(r.json, `get ${res.plural}/${name}`);
  }

  async list(res: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    const r = await this.transport.request({ method: 'GET', path: resourcePath(res, namespace), query: listQuery(opts) });
    const body = r.json as { apiVersion?: string; metadata?: { resourceVersion?: string; continue?: string }; items?: KObject[] };
    const apiVersion = body.apiVersion ?? (res.group ? `${res.group}/${res.version}` : res.version);
    // List items travel without their type; give them one, as the in-process transport does.
    const items = (body.items ?? []).map((o) => ({ kind: res.kind, apiVersion, ...o }) as KObject);
    const out: ListResult = { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
    if (body.metadata?.continue) out.continue = body.metadata.continue;
    return out;
  }

  watch(res: ResourceInfo, namespace: string | undefined, opts: WatchOptions, cb: WatchCallbacks): WatchHandle {
    return new HttpWatch(this.transport, { method: 'GET', path: resourcePath(res, namespace), query: watchQuery(opts) }, cb);
  }

  async create(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const r = await this.transport.request({ method: 'POST', path: resourcePath(res, namespace), query: writeQuery(opts), body: obj });
    return asObject(r.json, `create ${res.plural}`);
  }

  async update(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const r = await this.transport.request({ method: 'PUT', path: resourcePath(res, namespace, nameOf(obj)), query: writeQuery(opts), body: obj });
    return asObject(r.json, `update ${res.plural}`);
  }

  async updateStatus(res: ResourceInfo, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const r = await this.transport.request({ method: 'PUT', path: resourcePath(res, namespace, nameOf(obj), 'status'), query: writeQuery(opts), body: obj });
    return asObject(r.json, `update ${res.plural}/status`);
  }

  async patch(res: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<KObject> {
    const contentType = PATCH_CONTENT_TYPES[type];
    if (!contentType) throw new StatusError(415, 'UnsupportedMediaType', `unsupported patch type ${String(type)}`);
    const r = await this.transport.request({
      method: 'PATCH',
      path: resourcePath(res, namespace, name, opts.subresource),
      query: writeQuery(opts),
      body: patch,
      contentType,
    });
    return asObject(r.json, `patch ${res.plural}/${name}`);
  }

  async delete(res: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KObject | undefined> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ['All'];
    const r = await this.transport.request({ method: 'DELETE', path: resourcePath(res, namespace, name), body });
    const json = r.json;
    // A Status answers "gone now"; an object answers "returned" (held, graceful, or a kind
    // whose registry returns what it deleted).
    if (!isPlainObject(json) || json.kind === 'Status') return undefined;
    return asObject(json, `delete ${res.plural}/${name}`);
  }

  async bind(namespace: string, podName: string, nodeName: string): Promise<void> {
    await this.transport.request({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}/binding`,
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
    });
  }

  async finalizeNamespace(namespace: KObject): Promise<KObject> {
    const name = encodeURIComponent(nameOf(namespace));
    const r = await this.transport.request({ method: 'PUT', path: `/api/v1/namespaces/${name}/finalize`, body: namespace });
    return asObject(r.json, `finalize namespaces/${name}`);
  }

  /** Closes idle keep-alive connections and open watches' sockets. */
  close(): void {
    this.transport.close();
  }
}

/** A Client for the current context of exactly this kubeconfig file (no $KUBECONFIG, no ~/.kube). */
export function clientFromKubeconfig(file: string, opts: TransportOptions & { context?: string } = {}): HttpClient {
  return new HttpClient(loadKubeconfig(file, { context: opts.context }), opts);
}
