// The Authorization header for each request: a static token, a token file (re-read every
// minute, as client-go does, since projected service-account tokens rotate), basic auth, or
// an exec credential plugin (client.authentication.k8s.io ExecCredential, token only; the
// credential is cached until its expiry or until the server answers 401).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { KubeconfigConnection } from './kubeconfig.js';

const TOKEN_FILE_REFRESH_MS = 60_000;
const EXEC_TIMEOUT_MS = 60_000;

interface Cached {
  token: string;
  /** ms since the epoch; Infinity when the credential does not expire. */
  expires: number;
}

export class Credentials {
  private cached: Cached | undefined;
  private inflight: Promise<Cached> | undefined;

  constructor(private readonly conn: KubeconfigConnection) {}

  /** The header to send, or undefined for none (client certificates authenticate in TLS). */
  async authorization(): Promise<string | undefined> {
    const c = this.conn;
    if (c.token) return `Bearer ${c.token}`;
    if (c.tokenFile || c.exec) return `Bearer ${(await this.dynamic()).token}`;
    if (c.username !== undefined && c.password !== undefined) return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    return undefined;
  }

  /** True when a retry after a 401 may succeed (the credential can be fetched again). */
  invalidate(): boolean {
    if (!this.conn.tokenFile && !this.conn.exec) return false;
    this.cached = undefined;
    return true;
  }

  private dynamic(): Promise<Cached> {
    if (this.cached && Date.now() < this.cached.expires) return Promise.resolve(this.cached);
    this.inflight ??= (this.conn.exec ? this.runExec() : this.readTokenFile()).then(
      (c) => {
        this.cached = c;
        this.inflight = undefined;
        return c;
      },
      (e) => {
        this.inflight = undefined;
        throw e;
      },
    );
    return this.inflight;
  }

  private async readTokenFile(): Promise<Cached> {
    const file = this.conn.tokenFile!;
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new Error(`kubeconfig ${this.conn.file}: cannot read tokenFile ${file}: ${(e as Error).message}`);
    }
    return { token, expires: Date.now() + TOKEN_FILE_REFRESH_MS };
  }

  private runExec(): Promise<Cached> {
    const exec = this.conn.exec!;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of exec.env) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
    return new Promise((resolve, reject) => {
      execFile(exec.command, exec.args, { env, cwd: exec.cwd, timeout: EXEC_TIMEOUT_MS, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`kubeconfig ${this.conn.file}: exec plugin ${exec.command} failed: ${err.message}${stderr ? `: ${String(stderr).trim()}` : ''}`));
          return;
        }
        try {
          const cred = JSON.parse(String(stdout)) as { status?: { token?: string; expirationTimestamp?: string; clientCertificateData?: string } };
          const token = cred.status?.token;
          if (!token) {
            const why = cred.status?.clientCertificateData ? 'client certificates from exec plugins are not supported' : 'no status.token in its ExecCredential';
            throw new Error(why);
          }
          const exp = cred.status?.expirationTimestamp ? Date.parse(cred.status.expirationTimestamp) : NaN;
          resolve({ token, expires: Number.isFinite(exp) ? exp - 10_000 : Infinity });
        } catch (e) {
          reject(new Error(`kubeconfig ${this.conn.file}: exec plugin ${exec.command}: ${(e as Error).message}`));
        }
      });
    });
  }
}
