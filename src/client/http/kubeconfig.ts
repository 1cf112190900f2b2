// Reads a kubeconfig file into what an HTTPS connection needs: the current context's
// cluster (server, CA, TLS options) and user (bearer token, token file, client certificate,
// or an exec credential plugin). Only the named file is read: there is deliberately no
// fallback to $KUBECONFIG or ~/.kube/config.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  /** Resolved against the kubeconfig's directory when the command is a relative path. */
  cwd: string;
}

export interface KubeconfigConnection {
  /** The file it came from, for messages. */
  file: string;
  contextName: string;
  /** e.g. https://10.0.0.1:6443 or https://host/k8s/clusters/c-1 (a path prefix is kept). */
  server: string;
  namespace?: string;
  ca?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  token?: string;
  tokenFile?: string;
  cert?: Buffer;
  key?: Buffer;
  username?: string;
  password?: string;
  exec?: ExecConfig;
}

type Doc = Record<string, unknown>;

function fail(file: string, what: string): never {
  throw new Error(`kubeconfig ${file}: ${what}`);
}

function named(doc: Doc, list: string, name: string, field: string, file: string): Doc {
  const entries = doc[list];
  const found = Array.isArray(entries) ? entries.find((e) => e && typeof e === 'object' && (e as Doc).name === name) : undefined;
  const value = found ? (found as Doc)[field] : undefined;
  if (!value || typeof value !== 'object') fail(file, `${field} ${JSON.stringify(name)} not found in ${list}`);
  return value as Doc;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The bytes of an inline `*-data` field (base64) or of the file a sibling field names. */
function material(block: Doc, field: string, baseDir: string, file: string): Buffer | undefined {
  const data = str(block[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64');
  const path = str(block[field]);
  if (!path) return undefined;
  const full = isAbsolute(path) ? path : resolve(baseDir, path);
  try {
    return readFileSync(full);
  } catch (e) {
    fail(file, `cannot read ${field} ${full}: ${(e as Error).message}`);
  }
}

export function loadKubeconfig(file: string, opts: { context?: string } = {}): KubeconfigConnection {
  let doc: Doc;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Doc;
  } catch (e) {
    throw new Error(`kubeconfig ${file}: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') fail(file, 'not a kubeconfig');
  const baseDir = dirname(resolve(file));
  const contextName = opts.context ?? str(doc['current-context']) ?? fail(file, 'no current-context');
  const context = named(doc, 'contexts', contextName, 'context', file);
  const clusterName = str(context.cluster) ?? fail(file, `context ${contextName} names no cluster`);
  const cluster = named(doc, 'clusters', clusterName, 'cluster', file);
  const userName = str(context.user);
  const user: Doc = userName ? named(doc, 'users', userName, 'user', file) : {};

  const server = str(cluster.server) ?? fail(file, `cluster ${clusterName} has no server`);
  if (!server.startsWith('https://') && !server.startsWith('http://')) fail(file, `cluster ${clusterName}: server ${server} is not an http(s) URL`);
  if (cluster['proxy-url']) fail(file, `cluster ${clusterName}: proxy-url is not supported`);

  const conn: KubeconfigConnection = {
    file,
    contextName,
    server: server.replace(/\/+$/, ''),
    namespace: str(context.namespace),
    ca: material(cluster, 'certificate-authority', baseDir, file),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']),
    token: str(user.token),
    tokenFile: str(user.tokenFile) ? resolveIn(baseDir, str(user.tokenFile)!) : undefined,
    cert: material(user, 'client-certificate', baseDir, file),
    key: material(user, 'client-key', baseDir, file),
    username: str(user.username),
    password: str(user.password),
  };
  if (Boolean(conn.cert) !== Boolean(conn.key)) fail(file, `user ${userName}: client-certificate and client-key must be given together`);
  if (user['auth-provider']) {
    fail(file, `user ${userName}: auth-provider plugins are not supported; use a token, a client certificate or an exec plugin`);
  }
  const exec = user.exec as Doc | undefined;
  if (exec && typeof exec === 'object') {
    const command = str(exec.command) ?? fail(file, `user ${userName}: exec has no command`);
    conn.exec = {
      command: command.includes('/') && !isAbsolute(command) ? resolve(baseDir, command) : command,
      args: Array.isArray(exec.args) ? exec.args.map(String) : [],
      env: Array.isArray(exec.env) ? (exec.env as Doc[]).map((e) => ({ name: String(e.name), value: String(e.value ?? '') })) : [],
      apiVersion: str(exec.apiVersion) ?? 'client.authentication.k8s.io/v1',
      cwd: baseDir,
    };
  }
  return conn;
}

function resolveIn(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
