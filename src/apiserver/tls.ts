// Serving certificates for the API server: a private CA (ordinal-ca) plus a serving
// certificate whose SANs cover every address clients use. Kept in DATA_DIR/pki so
// kubeconfigs written earlier keep trusting the server across restarts.
//
// The warm path only reads and checks files with node's built-in X509Certificate; the
// DER encoder (./tls-x509.js) is imported lazily, only when something must be minted.

import { X509Certificate, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface ServingCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingCertOptions {
  /** IP addresses and DNS names the serving certificate must cover, e.g. ["127.0.0.1", "localhost"]. */
  hosts: string[];
  /** Clock override for tests. */
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
const SERVING_LIFETIME_DAYS = 365;
/** Re-issue before expiry so a long-running server is never caught out mid-session. */
const RENEW_BEFORE_DAYS = 30;
/** Backdating tolerates small clock differences between this host and clients. */
const BACKDATE_MS = 60 * 60 * 1000;

const CA_NAME = 'ordinal-ca';
const SERVING_NAME = 'ordinal-apiserver';

export function pkiPaths(dataDir: string): { dir: string; caCert: string; caKey: string; cert: string; key: string } {
  const dir = join(dataDir, 'pki');
  return { dir, caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

function writeAtomic(file: string, data: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function parseCert(pem: string | undefined): X509Certificate | undefined {
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function parseKey(pem: string | undefined): KeyObject | undefined {
  if (!pem) return undefined;
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

function fresh(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS && new Date(cert.validFrom) <= now;
}

function covers(cert: X509Certificate, host: string): boolean {
  // `subject: 'never'` so only SANs count, as in Go's verifier.
  return isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host, { subject: 'never' }) !== undefined;
}

/** True when the serving certificate still fits: signed by this CA, matching key, hosts covered, not expiring. */
export function servingCertUsable(ca: X509Certificate, cert: X509Certificate, key: KeyObject, hosts: string[], now: Date): boolean {
  return cert.verify(ca.publicKey) && cert.checkPrivateKey(key) && fresh(cert, now) && hosts.every((h) => covers(cert, h));
}

function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function keyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function mintCA(now: Date): Promise<{ pem: string; key: KeyObject }> {
  const { createCertificate } = await import('./tls-x509.js');
  const { privateKey, publicKey } = newKeyPair();
  const pem = createCertificate({
    subject: CA_NAME,
    issuer: CA_NAME,
    subjectKey: publicKey,
    issuerKey: privateKey,
    issuerPublicKey: publicKey,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS),
    isCA: true,
  });
  return { pem, key: privateKey };
}

async function mintServing(ca: X509Certificate, caKey: KeyObject, hosts: string[], now: Date): Promise<{ pem: string; key: KeyObject }> {
  const { createCertificate } = await import('./tls-x509.js');
  const { privateKey, publicKey } = newKeyPair();
  const pem = createCertificate({
    subject: SERVING_NAME,
    issuer: CA_NAME,
    subjectKey: publicKey,
    issuerKey: caKey,
    issuerPublicKey: ca.publicKey,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    // Never outlive the CA: Go rejects a chain whose issuer has expired.
    notAfter: new Date(Math.min(now.getTime() + SERVING_LIFETIME_DAYS * DAY_MS, new Date(ca.validTo).getTime())),
    isCA: false,
    hosts,
  });
  return { pem, key: privateKey };
}

/**
 * Returns the CA and serving certificate, creating them under DATA_DIR/pki on first use.
 * The CA is reused while valid (so existing kubeconfigs stay valid); the serving
 * certificate is re-issued when it no longer covers `hosts`, is near expiry, or does not
 * match the CA or its key.
 */
export async function ensureServingCerts(dataDir: string, opts: ServingCertOptions): Promise<ServingCerts> {
  const now = opts.now ?? new Date();
  const requested = [...new Set(opts.hosts.map((h) => h.trim()).filter((h) => h !== ''))];
  // An empty SAN extension is invalid for Go's verifier; fall back to loopback.
  const hosts = requested.length > 0 ? requested : ['127.0.0.1', 'localhost'];
  const p = pkiPaths(dataDir);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });

  let caPem = readIfExists(p.caCert);
  let ca = parseCert(caPem);
  let caKey = parseKey(readIfExists(p.caKey));
  if (!caPem || !ca || !caKey || !ca.checkPrivateKey(caKey) || !fresh(ca, now)) {
    const minted = await mintCA(now);
    caPem = minted.pem;
    ca = new X509Certificate(caPem);
    caKey = minted.key;
    writeAtomic(p.caKey, keyPem(caKey), 0o600);
    writeAtomic(p.caCert, caPem, 0o644);
  }

  const certPem = readIfExists(p.cert);
  const servingKeyPem = readIfExists(p.key);
  const cert = parseCert(certPem);
  const key = parseKey(servingKeyPem);
  if (certPem && servingKeyPem && cert && key && servingCertUsable(ca, cert, key, hosts, now)) {
    return { caPem, certPem, keyPem: servingKeyPem };
  }

  const serving = await mintServing(ca, caKey, hosts, now);
  const newKeyPem = keyPem(serving.key);
  writeAtomic(p.key, newKeyPem, 0o600);
  writeAtomic(p.cert, serving.pem, 0o644);
  return { caPem, certPem: serving.pem, keyPem: newKeyPem };
}
