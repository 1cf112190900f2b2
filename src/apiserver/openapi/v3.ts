// `/openapi/v3`: the index of group-versions and one OpenAPI 3.0 document per group-version,
// with every operation (kubectl's fieldValidation probe reads the PATCH ones) and the full
// component schemas (kubectl explain walks them). Built on first request, then cached.
//
// The PATCH request bodies deliberately do not list application/strategic-merge-patch+json:
// kubectl would then compute client-side-apply patches from these schemas instead of from
// the patch metadata compiled into it, which is the more faithful source.

import { createHash } from 'node:crypto';
import { closureOf, definitionNameOf, definitions, refName, type Schema } from '../../api/schema/definitions.js';
import { patchExtensionsFor, type PatchExtensions } from '../../api/schema/patch-extensions.js';
import { openapiGroupVersionKeys, operationsOf, resourcesOf, type Operation } from './operations.js';

export interface OpenApiResponse {
  status: number;
  body: string | Buffer;
  contentType: string;
  /** Extra headers to send (ETag, Cache-Control). */
  headers: Record<string, string>;
}

/** The Kubernetes version the documents claim (matches what /version reports). */
export const OPENAPI_INFO_VERSION = 'v1.33.0';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const PATCH_CONTENT_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const PRIVATE_KEYS = new Set(['x-kubernetes-quantity']);

const v3Ref = (name: string) => `#/components/schemas/${name}`;

/** A definitions-style schema in OpenAPI 3 form: refs under components, described refs wrapped in allOf. */
function toV3(s: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (PRIVATE_KEYS.has(k) || k === '$ref') continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, ps]) => [p, toV3(ps)]));
    else if (k === 'items' || k === 'additionalProperties') out[k] = toV3(v as Schema);
    else out[k] = v;
  }
  if (s.$ref) {
    const ref = v3Ref(refName(s.$ref));
    if (Object.keys(out).length === 0) return { $ref: ref };
    out.allOf = [{ $ref: ref }];
  }
  return out;
}

function componentSchema(name: string, ext: PatchExtensions): Record<string, unknown> {
  const s = toV3(definitions()[name]!);
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [prop, e] of ext.get(name) ?? []) if (props?.[prop]) Object.assign(props[prop], e);
  return s;
}

function defOf(gvk: Operation['gvk'], list = false): string | undefined {
  return definitionNameOf(list ? { ...gvk, kind: `${gvk.kind}List` } : gvk);
}

function content(schemaName: string | undefined, types: string[]): Record<string, unknown> {
  const schema = schemaName ? { $ref: v3Ref(schemaName) } : { type: 'object' };
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function operationV3(op: Operation): Record<string, unknown> {
  const kindDef = defOf(op.gvk);
  const responseDef = op.action === 'deletecollection' || op.action === 'delete' ? `${META}.Status` : defOf(op.gvk, op.listResponse);
  const o: Record<string, unknown> = {
    tags: [op.gvk.group ? `${op.gvk.group.split('.')[0]}_${op.gvk.version}` : `core_${op.gvk.version}`],
    description: op.description,
    operationId: op.operationId,
    parameters: op.params.map((p) => ({
      name: p.name,
      in: p.in,
      description: p.description,
      ...(p.required ? { required: true } : {}),
      schema: { type: p.type, uniqueItems: true },
    })),
  };
  if (op.bodyKind) {
    const types = op.method === 'patch' ? PATCH_CONTENT_TYPES : ['*/*'];
    o.requestBody = { content: content(op.method === 'patch' ? `${META}.Patch` : kindDef, types), required: true };
  } else if (op.action === 'delete' || op.action === 'deletecollection') {
    o.requestBody = { content: content(`${META}.DeleteOptions`, ['*/*']) };
  }
  const ok = { description: 'OK', content: content(responseDef, RESPONSE_TYPES) };
  const responses: Record<string, unknown> = { '200': ok };
  if (op.action === 'post' || op.action === 'put' || op.action === 'patch') responses['201'] = { description: 'Created', content: content(kindDef, RESPONSE_TYPES) };
  if (op.action === 'post' || op.action === 'delete') responses['202'] = { description: 'Accepted', content: content(responseDef, RESPONSE_TYPES) };
  responses['401'] = { description: 'Unauthorized' };
  o.responses = responses;
  o['x-kubernetes-action'] = op.action;
  o['x-kubernetes-group-version-kind'] = op.gvk;
  return o;
}

/** The OpenAPI 3 document of one group-version key ("api/v1", "apis/apps/v1"). */
export function buildV3Document(key: string): Record<string, unknown> | undefined {
  const resources = resourcesOf(key);
  if (resources.length === 0) return undefined;
  const ops = operationsOf(resources);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) (paths[op.path] ??= {})[op.method] = operationV3(op);

  const roots = new Set<string>([`${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`]);
  const kinds = new Map<string, Operation['gvk']>();
  for (const op of ops) kinds.set(`${op.gvk.group}/${op.gvk.version}/${op.gvk.kind}`, op.gvk);
  for (const gvk of kinds.values()) {
    for (const n of [defOf(gvk), defOf(gvk, true)]) if (n) roots.add(n);
  }
  const ext = patchExtensionsFor([...kinds.values()]);
  const names = [...closureOf(roots)].sort();
  const schemas = Object.fromEntries(names.map((n) => [n, componentSchema(n, ext)]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    components: { schemas },
  };
}

interface Built {
  body: string;
  hash: string;
}

let built: { docs: Map<string, Built>; index: string } | undefined;

function build(): NonNullable<typeof built> {
  if (!built) {
    const docs = new Map<string, Built>();
    for (const key of openapiGroupVersionKeys()) {
      const doc = buildV3Document(key);
      if (!doc) continue;
      const body = JSON.stringify(doc);
      docs.set(key, { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() });
    }
    const paths = Object.fromEntries([...docs].map(([key, d]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${d.hash}` }]));
    built = { docs, index: JSON.stringify({ paths }) };
  }
  return built;
}

/**
 * Answers `GET /openapi/v3` (path '' or '/') and `GET /openapi/v3/<key>` (e.g. 'apis/apps/v1').
 * `pathAfterPrefix` is what follows "/openapi/v3"; a query string, if left on, is ignored.
 * Returns undefined for an unknown group-version (the caller answers 404).
 */
export function openapiV3(pathAfterPrefix: string): OpenApiResponse | undefined {
  const key = pathAfterPrefix.split('?')[0]!.replace(/^\/+|\/+$/g, '');
  const b = build();
  if (key === '') return { status: 200, body: b.index, contentType: 'application/json', headers: {} };
  const doc = b.docs.get(key);
  if (!doc) return undefined;
  return {
    status: 200,
    body: doc.body,
    contentType: 'application/json',
    headers: { ETag: `"${doc.hash}"`, 'Cache-Control': 'public, immutable' },
  };
}
