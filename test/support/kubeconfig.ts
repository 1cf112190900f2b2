// Reads the few kubeconfig fields a raw HTTPS client needs.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface KubeconfigInfo {
  server: string;
  ca: Buffer;
  token: string;
  contextName: string;
}

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }

export function readKubeconfig(file: string): KubeconfigInfo {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const contextName = String(doc['current-context'] ?? '');
  const contexts = (doc.contexts ?? []) as Named<{ cluster: string; user: string }>[];
  const ctx = contexts.find((c) => c.name === contextName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${file}: current-context ${JSON.stringify(contextName)} not found`);
  const clusters = (doc.clusters ?? []) as Named<Record<string, string>>[];
  const users = (doc.users ?? []) as Named<Record<string, string>>[];
  const cluster = clusters.find((c) => c.name === ctx.cluster)?.cluster;
  const user = users.find((u) => u.name === ctx.user)?.user;
  if (!cluster || !user) throw new Error(`kubeconfig ${file}: cluster or user of context ${contextName} missing`);
  const caData = cluster['certificate-authority-data'];
  if (!caData) throw new Error(`kubeconfig ${file}: no certificate-authority-data`);
  if (!user.token) throw new Error(`kubeconfig ${file}: no user token`);
  return { server: cluster.server, ca: Buffer.from(caData, 'base64'), token: user.token, contextName };
}
