// `/openapi/v2` as a protobuf gnostic `openapi.v2.Document` (OpenAPIv2.proto), which kubectl
// 1.27/1.28 download before `apply -f`/`create -f`/`replace -f` and accept only in protobuf.
// kubectl looks for each kind's PATCH operation (x-kubernetes-group-version-kind) and its
// `fieldValidation` query parameter. Definitions are left out on purpose: with them,
// client-side apply would build strategic merge patches from our schemas instead of from
// the patch metadata compiled into kubectl, and `kubectl explain` reads v3 on 1.27+.
//
// Field numbers used (gnostic OpenAPIv2.proto):
//   Document: swagger 1, info 2, paths 8          Info: title 1, version 2
//   Paths: path 2        NamedPathItem: name 1, value 2
//   PathItem: get 2, put 3, post 4, delete 5, patch 8
//   Operation: tags 1, description 3, operation_id 5, parameters 8, responses 9, vendor_extension 13
//   ParametersItem: parameter 1   Parameter: non_body_parameter 2
//   NonBodyParameter: query_parameter_sub_schema 3
//   QueryParameterSubSchema: in 2, description 3, name 4, type 6
//   Responses: response_code 1   NamedResponseValue: name 1, value 2
//   ResponseValue: response 1    Response: description 1
//   NamedAny: name 1, value 2    Any: yaml 2

import { OPENAPI_INFO_VERSION, type OpenApiResponse } from './v3.js';
import { allOperations, type HttpMethod, type Operation } from './operations.js';
import { pbMessage, pbString } from './protobuf-writer.js';

/** Go's mime parser rejects the `@` form kubectl sends in Accept; this is what upstream answers. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const PATH_ITEM_FIELD: Record<HttpMethod, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

function yamlString(s: string): string {
  return s === '' || /[:#\s"']/.test(s) ? JSON.stringify(s) : s;
}

function namedAny(name: string, yaml: string): Buffer {
  return pbMessage(13, [pbString(1, name), pbMessage(2, [pbString(2, yaml)])]);
}

function operationBytes(op: Operation): Buffer[] {
  const g = op.gvk;
  const params = op.params
    .filter((p) => p.in === 'query')
    .map((p) => pbMessage(8, [pbMessage(1, [pbMessage(2, [pbMessage(3, [pbString(2, 'query'), pbString(3, p.description), pbString(4, p.name), pbString(6, p.type)])])])]));
  return [
    pbString(1, op.gvk.group ? `${op.gvk.group.split('.')[0]}_${op.gvk.version}` : `core_${op.gvk.version}`),
    pbString(3, op.description),
    pbString(5, op.operationId),
    ...params,
    pbMessage(9, [pbMessage(1, [pbString(1, '200'), pbMessage(2, [pbMessage(1, [pbString(1, 'OK')])])])]),
    namedAny('x-kubernetes-action', `${op.action}\n`),
    namedAny('x-kubernetes-group-version-kind', `group: ${yamlString(g.group)}\nkind: ${yamlString(g.kind)}\nversion: ${yamlString(g.version)}\n`),
  ];
}

/** The encoded Document. */
export function buildV2Protobuf(ops: Operation[] = allOperations()): Buffer {
  const byPath = new Map<string, Operation[]>();
  for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const pathItems = [...byPath].map(([path, pathOps]) =>
    pbMessage(2, [pbString(1, path), pbMessage(2, pathOps.map((op) => pbMessage(PATH_ITEM_FIELD[op.method], operationBytes(op))))]),
  );
  return Buffer.concat([
    pbString(1, '2.0'),
    pbMessage(2, [pbString(1, 'Kubernetes'), pbString(2, OPENAPI_INFO_VERSION)]),
    pbMessage(8, pathItems),
  ]);
}

/** The same operations as a Swagger 2.0 JSON document, for clients that ask for JSON. */
export function buildV2Json(ops: Operation[] = allOperations()): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    (paths[op.path] ??= {})[op.method] = {
      description: op.description,
      operationId: op.operationId,
      parameters: op.params.map((p) => ({ name: p.name, in: p.in, type: p.type, description: p.description, ...(p.required ? { required: true } : {}), uniqueItems: true })),
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': op.action,
      'x-kubernetes-group-version-kind': op.gvk,
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION }, paths, definitions: {} };
}

let cached: { pb: Buffer; json: string } | undefined;

/**
 * Answers `GET /openapi/v2`. Protobuf unless the client asks for JSON only
 * (kubectl always asks for protobuf).
 */
export function openapiV2(accept: string | undefined): OpenApiResponse {
  cached ??= { pb: buildV2Protobuf(), json: JSON.stringify(buildV2Json()) };
  const wantsJson = accept !== undefined && /application\/json/.test(accept) && !/protobuf/.test(accept);
  return wantsJson
    ? { status: 200, body: cached.json, contentType: 'application/json', headers: {} }
    : { status: 200, body: cached.pb, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, headers: {} };
}
