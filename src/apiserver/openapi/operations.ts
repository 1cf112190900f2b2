// The REST operations of every served resource, described once and rendered twice:
// as OpenAPI v3 JSON (v3.ts) and as the protobuf OpenAPI v2 document (v2.ts).
// kubectl reads them to learn that the server honours `fieldValidation`: it looks for the
// PATCH operation whose `x-kubernetes-group-version-kind` is the object's kind.

import { RESOURCES, groupVersion, type ResourceInfo, type SubresourceInfo } from '../../api/resources.js';

export interface OpParam {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
  description: string;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface Operation {
  path: string;
  method: HttpMethod;
  operationId: string;
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  gvk: { group: string; version: string; kind: string };
  params: OpParam[];
  /** Kind of the request body, when there is one (same group-version as gvk). */
  bodyKind?: boolean;
  /** The response is a list of the kind. */
  listResponse?: boolean;
  description: string;
}

const q = (name: string, type: OpParam['type'], description: string): OpParam => ({ name, in: 'query', type, description });
const PRETTY = q('pretty', 'string', "If 'true', the output is pretty printed.");
const DRY_RUN = q('dryRun', 'string', 'When present, the change is validated but not persisted. The only valid value is All.');
const FIELD_MANAGER = q('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields.');
const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'How the server treats unknown or duplicate fields in the request body: Ignore drops them, Warn drops them and returns a warning for each, Strict rejects the request.',
);
const FORCE = q('force', 'boolean', 'Server-side apply only: take ownership of fields owned by other managers.');
const LIST_PARAMS: OpParam[] = [
  q('labelSelector', 'string', 'Only return objects whose labels match this selector.'),
  q('fieldSelector', 'string', 'Only return objects whose fields match this selector.'),
  q('limit', 'integer', 'The most objects to return in one response; more can be read with continue.'),
  q('continue', 'string', 'The token returned by a previous, limited list call.'),
  q('resourceVersion', 'string', 'Which version of the collection to serve; see the API conventions.'),
  q('watch', 'boolean', 'Stream changes instead of returning a list.'),
  q('timeoutSeconds', 'integer', 'How long a list or watch call may last.'),
];
const DELETE_PARAMS: OpParam[] = [
  DRY_RUN,
  q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once.'),
  q('propagationPolicy', 'string', 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.'),
];

function pathParams(namespaced: boolean, named: boolean): OpParam[] {
  const out: OpParam[] = [];
  if (named) out.push({ name: 'name', in: 'path', type: 'string', required: true, description: 'The name of the object.' });
  if (namespaced) out.push({ name: 'namespace', in: 'path', type: 'string', required: true, description: 'The namespace of the object.' });
  return out;
}

/** "apps" → "Apps", "storage.k8s.io" → "Storage", "" → "Core": upstream's operation-id prefix. */
function groupPascal(group: string): string {
  const first = group ? group.split('.')[0]! : 'core';
  return first.charAt(0).toUpperCase() + first.slice(1);
}

function resourceOps(r: ResourceInfo): Operation[] {
  const gv = groupVersion(r);
  const base = r.group ? `/apis/${gv}` : `/api/${gv}`;
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const item = `${collection}/{name}`;
  const idMid = `${groupPascal(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}${r.namespaced ? 'Namespaced' : ''}${r.kind}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const ops: Operation[] = [];
  const has = (v: string) => r.verbs.includes(v);
  const coll = pathParams(r.namespaced, false);
  const named = pathParams(r.namespaced, true);
  const write = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY];
  const op = (o: Omit<Operation, 'gvk'>) => ops.push({ ...o, gvk });

  if (has('list')) {
    op({ path: collection, method: 'get', operationId: `list${idMid}`, action: 'list', params: [...coll, ...LIST_PARAMS, PRETTY], listResponse: true, description: `list or watch objects of kind ${r.kind}` });
    if (r.namespaced) {
      const all = `${base}/${r.plural}`;
      const id = `list${groupPascal(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}${r.kind}ForAllNamespaces`;
      op({ path: all, method: 'get', operationId: id, action: 'list', params: [...LIST_PARAMS, PRETTY], listResponse: true, description: `list or watch objects of kind ${r.kind} in every namespace` });
    }
  }
  if (has('create')) op({ path: collection, method: 'post', operationId: `create${idMid}`, action: 'post', params: [...coll, ...write], bodyKind: true, description: `create a ${r.kind}` });
  if (has('deletecollection')) op({ path: collection, method: 'delete', operationId: `delete${idMid.replace(r.namespaced ? 'Namespaced' : r.kind, r.namespaced ? 'CollectionNamespaced' : `Collection${r.kind}`)}`, action: 'deletecollection', params: [...coll, ...LIST_PARAMS, ...DELETE_PARAMS, PRETTY], description: `delete collection of ${r.kind}` });
  if (has('get')) op({ path: item, method: 'get', operationId: `read${idMid}`, action: 'get', params: [...named, PRETTY], description: `read the specified ${r.kind}` });
  if (has('update')) op({ path: item, method: 'put', operationId: `replace${idMid}`, action: 'put', params: [...named, ...write], bodyKind: true, description: `replace the specified ${r.kind}` });
  if (has('patch')) op({ path: item, method: 'patch', operationId: `patch${idMid}`, action: 'patch', params: [...named, DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE, PRETTY], bodyKind: true, description: `partially update the specified ${r.kind}` });
  if (has('delete')) op({ path: item, method: 'delete', operationId: `delete${idMid}`, action: 'delete', params: [...named, ...DELETE_PARAMS, PRETTY], description: `delete a ${r.kind}` });

  for (const sub of r.subresources) ops.push(...subresourceOps(r, sub, item, idMid, named));
  return ops;
}

/** status and scale: the subresources with a body kubectl can send (the rest are streams). */
function subresourceOps(r: ResourceInfo, sub: SubresourceInfo, item: string, idMid: string, named: OpParam[]): Operation[] {
  if (sub.name !== 'status' && sub.name !== 'scale') return [];
  const gvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
  const suffix = sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
  const path = `${item}/${sub.name}`;
  const ops: Operation[] = [];
  const mk = (method: HttpMethod, verb: string, action: Operation['action'], params: OpParam[], bodyKind: boolean) =>
    ops.push({ path, method, operationId: `${verb}${idMid}${suffix}`, action, gvk, params: [...named, ...params], bodyKind, description: `${verb} ${sub.name} of the specified ${r.kind}` });
  if (sub.verbs.includes('get')) mk('get', 'read', 'get', [PRETTY], false);
  if (sub.verbs.includes('update')) mk('put', 'replace', 'put', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY], true);
  if (sub.verbs.includes('patch')) mk('patch', 'patch', 'patch', [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE, PRETTY], true);
  return ops;
}

/** The served group-versions as OpenAPI v3 index keys: "api/v1", "apis/apps/v1". */
export function openapiGroupVersionKeys(): string[] {
  const keys: string[] = [];
  for (const r of RESOURCES) {
    const key = r.group ? `apis/${groupVersion(r)}` : `api/${r.version}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The resources of one v3 index key. */
export function resourcesOf(key: string): ResourceInfo[] {
  return RESOURCES.filter((r) => (r.group ? `apis/${groupVersion(r)}` : `api/${r.version}`) === key);
}

export function operationsOf(resources: readonly ResourceInfo[]): Operation[] {
  return resources.flatMap(resourceOps);
}

export function allOperations(): Operation[] {
  return operationsOf(RESOURCES);
}
