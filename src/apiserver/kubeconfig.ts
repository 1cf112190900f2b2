// Writes a kubeconfig that points kubectl at this server with the CA and bearer token.
// It is written only to the path the caller chooses; the user's ~/.kube is never touched.

import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  token: string;
  /** Name used for the cluster, user and context; defaults to "ordinal". */
  name?: string;
}

export function buildKubeconfig(opts: KubeconfigOptions): Record<string, unknown> {
  const name = opts.name ?? 'ordinal';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': Buffer.from(opts.caPem, 'utf8').toString('base64') } }],
    users: [{ name, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
}

/** Atomically (temp file + rename) writes the kubeconfig with mode 0600, creating parent dirs. */
export function writeKubeconfig(file: string, opts: KubeconfigOptions): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, stringify(buildKubeconfig(opts), { lineWidth: 0 }), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  // rename keeps the temp file's mode, but re-assert in case a umask or an odd filesystem interfered.
  chmodSync(file, 0o600);
}
