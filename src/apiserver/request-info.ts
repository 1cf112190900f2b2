// Turns a URL path into what is being asked for, as upstream's RequestInfoFactory:
// /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}, /apis/{group}/{version}/...

import { findResource, type ResourceInfo } from '../api/resources.js';

export type RequestTarget =
  | { type: 'resource'; info: ResourceInfo; namespace?: string; name?: string; subresource?: string; gv: { group: string; version: string } }
  | { type: 'unknown-resource'; group: string; version: string; resource: string }
  | { type: 'other'; path: string };

function resourceTarget(group: string, version: string, parts: string[]): RequestTarget {
  let namespace: string | undefined;
  let rest = parts;
  // `namespaces/{ns}/{resource}` scopes a namespaced resource; `namespaces/{name}[/status]` is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && group === '' && version === 'v1' && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length >= 3 && group !== '') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length) return { type: 'other', path: '/' + parts.join('/') };
  const info = findResource(group, version, resource);
  if (!info) return { type: 'unknown-resource', group, version, resource };
  return { type: 'resource', info, namespace, name, subresource, gv: { group, version } };
}

export function parseRequestPath(pathname: string): RequestTarget {
  const parts = pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  if (parts[0] === 'api' && parts.length >= 3) return resourceTarget('', parts[1]!, parts.slice(2));
  if (parts[0] === 'apis' && parts.length >= 4) return resourceTarget(parts[1]!, parts[2]!, parts.slice(3));
  return { type: 'other', path: '/' + parts.join('/') };
}
