// POST, PUT, PATCH and DELETE on resources and their status, scale and binding subresources.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../api/object.js';
import { badRequest, methodNotAllowed, notFound, StatusError } from '../api/errors.js';
import type { ResourceInfo } from '../api/resources.js';
import { applyPatch, decodePatchBody, patchTypeOf } from '../api/patch/index.js';
import { duplicateFields } from '../api/schema/decode.js';
import type { DeleteOptions } from '../registry/registry.js';
import { scaleFromStatefulSet, applyScaleToStatefulSet } from '../registry/kinds/scale.js';
import type { ApiContext } from './api-context.js';
import { readBody, mediaType, parseJson } from './body.js';
import { decodeAgainstSchema, decodeRequestObject } from './decode-object.js';
import { dryRunOf, fieldValidationOf, intParam } from './query-options.js';
import { setWarnings, writeJson } from './respond.js';

export interface Target {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

// Upstream's registries that answer a DELETE with the object rather than a Status.
const RETURNS_DELETED_OBJECT = new Set(['pods', 'serviceaccounts', 'storageclasses']);

export async function handleCreate(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const body = await readBody(req);
  const mode = fieldValidationOf(query);
  const { object, warnings } = decodeRequestObject(req, body, t.info, mode);
  const created = ctx.registry.create(t.info, t.namespace, object, { dryRun: dryRunOf(query) });
  setWarnings(res, warnings);
  writeJson(res, 201, created);
}

export async function handleUpdate(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const body = await readBody(req);
  const mode = fieldValidationOf(query);
  const dryRun = dryRunOf(query);
  if (t.subresource === 'scale') {
    const { object } = decodeRequestObject(req, body, t.info, mode, { apiVersion: 'autoscaling/v1', kind: 'Scale' });
    writeJson(res, 200, updateScale(t, object, ctx, dryRun));
    return;
  }
  if (t.subresource && t.subresource !== 'status' && t.subresource !== 'finalize') throw methodNotAllowed();
  const { object, warnings } = decodeRequestObject(req, body, t.info, mode);
  const subresource = t.subresource === 'status' || t.subresource === 'finalize' ? t.subresource : undefined;
  const updated = ctx.registry.update(t.info, t.namespace, t.name!, object, { dryRun, subresource });
  setWarnings(res, warnings);
  writeJson(res, 200, updated);
}

export async function handlePatch(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const body = await readBody(req);
  const contentType = mediaType(req);
  const mode = fieldValidationOf(query);
  const dryRun = dryRunOf(query);
  // Raw text: the patch engine decodes it with each patch type's own error wording.
  const patchText = body.toString('utf8');
  const patch = decodePatchBody(patchTypeOf(contentType), patchText);
  const warnings: string[] = [];
  if (t.subresource === 'scale') {
    const sts = ctx.registry.get(t.info, t.namespace, t.name!);
    const scale = applyPatch(contentType, scaleFromStatefulSet(sts), patch, 'Scale') as unknown as KObject;
    writeJson(res, 200, updateScale(t, scale, ctx, dryRun));
    return;
  }
  if (t.subresource && t.subresource !== 'status') throw methodNotAllowed();
  const result = ctx.registry.patch(
    t.info,
    t.namespace,
    t.name!,
    (current) => {
      const patched = applyPatch(contentType, current, patch, t.info.kind);
      // Upstream decodes the patched object from a re-encoded Go map: keys sorted, and the
      // patch's own duplicate fields reported first.
      const decoded = decodeAgainstSchema(t.info, t.info.kind, patched as object, mode, { sortKeys: true, leadingErrors: duplicateFields(patchText) });
      warnings.push(...decoded.warnings);
      return decoded.object;
    },
    { dryRun, subresource: t.subresource === 'status' ? 'status' : undefined },
  );
  setWarnings(res, warnings);
  writeJson(res, 200, result);
}

function updateScale(t: Target, scale: KObject, ctx: ApiContext, dryRun: boolean): KObject {
  if (t.info.plural !== 'statefulsets') throw notFound(t.info.group, `${t.info.plural}/scale`, t.name!);
  const updated = ctx.registry.patch(
    t.info,
    t.namespace,
    t.name!,
    (sts) => applyScaleToStatefulSet(sts, scale as Parameters<typeof applyScaleToStatefulSet>[1]),
    { dryRun },
  );
  return scaleFromStatefulSet(updated) as unknown as KObject;
}

export async function handleBinding(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const body = await readBody(req);
  const { object } = decodeRequestObject(req, body, t.info, fieldValidationOf(query), { apiVersion: 'v1', kind: 'Binding' });
  const podName = t.subresource === 'binding' ? t.name! : object.metadata?.name;
  if (!podName) throw badRequest('name is required for a binding');
  ctx.registry.bindPod(t.namespace!, podName, object, { dryRun: dryRunOf(query) });
  writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function deleteOptionsOf(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  const opts: DeleteOptions = {};
  if (body.length) {
    const parsed = parseJson(body.toString('utf8')) as Record<string, unknown>;
    if (typeof parsed !== 'object' || parsed === null) throw badRequest('invalid DeleteOptions');
    if (typeof parsed.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = parsed.gracePeriodSeconds;
    if (typeof parsed.propagationPolicy === 'string') opts.propagationPolicy = parsed.propagationPolicy as DeleteOptions['propagationPolicy'];
    if (typeof parsed.orphanDependents === 'boolean') opts.orphanDependents = parsed.orphanDependents;
    if (parsed.preconditions && typeof parsed.preconditions === 'object') opts.preconditions = parsed.preconditions as DeleteOptions['preconditions'];
    if (Array.isArray(parsed.dryRun) && parsed.dryRun.includes('All')) opts.dryRun = true;
  }
  const grace = intParam(query, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (query.get('orphanDependents') !== null) opts.orphanDependents = query.get('orphanDependents') === 'true';
  if (dryRunOf(query)) opts.dryRun = true;
  const p = opts.propagationPolicy;
  if (p !== undefined && p !== 'Orphan' && p !== 'Background' && p !== 'Foreground') {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`, {
      kind: 'DeleteOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`, field: 'propagationPolicy' }],
    });
  }
  if (opts.orphanDependents !== undefined && p !== undefined) {
    throw new StatusError(422, 'Invalid', 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + p + '": orphanDependents and deletionPropagation cannot be both set', { kind: 'DeleteOptions', group: 'meta.k8s.io' });
  }
  return opts;
}

export async function handleDelete(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const opts = await deleteOptionsOf(req, query);
  const { object, deleted } = ctx.registry.delete(t.info, t.namespace, t.name!, opts);
  if (deleted && !RETURNS_DELETED_OBJECT.has(t.info.plural)) {
    writeJson(res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: t.name, group: t.info.group, kind: t.info.plural, uid: object.metadata.uid },
    });
    return;
  }
  // A deletion that waits on a grace period or finalizers is "accepted", as upstream.
  writeJson(res, deleted ? 200 : 202, object);
}

export async function handleDeleteCollection(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const opts = await deleteOptionsOf(req, query);
  const list = ctx.registry.list(t.info, t.namespace, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  const items: KObject[] = [];
  for (const item of list.items) {
    try {
      items.push(ctx.registry.delete(t.info, item.metadata.namespace, item.metadata.name!, opts).object);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  writeJson(res, 200, { kind: t.info.listKind, apiVersion: list.items[0]?.apiVersion ?? '', metadata: { resourceVersion: String(ctx.registry.currentRevision) }, items });
}
