// Which representation the client asked for: a meta.k8s.io Table (kubectl get), or the
// objects themselves.

import type { IncomingMessage } from 'node:http';

export interface TableRequest {
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  includeObject: 'None' | 'Metadata' | 'Object';
}

/** Parses `application/json;as=Table;v=v1;g=meta.k8s.io, ...` and picks the first Table entry. */
export function wantsTable(req: IncomingMessage, query: URLSearchParams): TableRequest | undefined {
  const accept = req.headers.accept ?? '';
  for (const entry of accept.split(',')) {
    const params = new Map<string, string>();
    for (const p of entry.split(';').slice(1)) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k && v) params.set(k, v);
    }
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const v = params.get('v');
      if (v !== 'v1' && v !== 'v1beta1') continue;
      const inc = query.get('includeObject');
      const includeObject = inc === 'None' || inc === 'Object' ? inc : 'Metadata';
      return { apiVersion: v === 'v1' ? 'meta.k8s.io/v1' : 'meta.k8s.io/v1beta1', includeObject };
    }
  }
  return undefined;
}
