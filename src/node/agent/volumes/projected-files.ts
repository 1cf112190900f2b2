// The files of configMap, secret, downwardAPI and projected volumes: computed as a list of
// (relative path, content, mode), then written under the volume directory. Paths come from
// `items` when given (only those keys), else one file per key; `..` is refused.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import { fieldRefValue, resourceFieldValue, type DownwardContext } from '../env/downward-api.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export interface ProjectedFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** A volume source cannot be set up yet (missing object or key): reported as FailedMount. */
export class VolumeSetupError extends Error {}

/** Key → bytes of a ConfigMap (data and binaryData) or a Secret (base64 data). */
export function configMapPayload(cm: KObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (isPlainObject(cm.data)) for (const [k, v] of Object.entries(cm.data)) out.set(k, Buffer.from(String(v), 'utf8'));
  if (isPlainObject(cm.binaryData)) for (const [k, v] of Object.entries(cm.binaryData)) out.set(k, Buffer.from(String(v), 'base64'));
  return out;
}

export function secretPayload(secret: KObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (isPlainObject(secret.data)) for (const [k, v] of Object.entries(secret.data)) out.set(k, Buffer.from(String(v), 'base64'));
  return out;
}

/** Files for a keyed source (configMap or secret) honouring `items` and modes. */
export function keyedFiles(payload: Map<string, Buffer>, source: J, kind: 'ConfigMap' | 'Secret', defaultMode: number): ProjectedFile[] {
  const items = objects(source.items);
  if (!items.length) return [...payload.entries()].map(([k, content]) => ({ path: k, content, mode: defaultMode }));
  const out: ProjectedFile[] = [];
  for (const item of items) {
    const content = payload.get(str(item.key));
    if (!content) {
      if (source.optional === true) continue;
      throw new VolumeSetupError(kind === 'Secret' ? `references non-existent secret key: ${str(item.key)}` : `configmap references non-existent config key: ${str(item.key)}`);
    }
    out.push({ path: str(item.path), content, mode: typeof item.mode === 'number' ? item.mode : defaultMode });
  }
  return out;
}

export function downwardFiles(pod: KObject, source: J, ctx: DownwardContext, defaultMode: number): ProjectedFile[] {
  return objects(source.items).map((item) => {
    let value = '';
    if (isPlainObject(item.fieldRef)) value = fieldRefValue(pod, str(item.fieldRef.fieldPath), ctx, true);
    else if (isPlainObject(item.resourceFieldRef)) {
      const r = item.resourceFieldRef;
      value = resourceFieldValue(pod, str(r.containerName), str(r.resource), str(r.divisor) || undefined, ctx);
    }
    return { path: str(item.path), content: Buffer.from(value, 'utf8'), mode: typeof item.mode === 'number' ? item.mode : defaultMode };
  });
}

function safeRelative(p: string): string {
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (!segments.length || segments.includes('..') || p.startsWith('/')) throw new VolumeSetupError(`invalid projected file path ${JSON.stringify(p)}`);
  return segments.join('/');
}

/** Replaces the directory's contents with exactly these files. */
export async function writeProjectedFiles(dir: string, files: ProjectedFile[]): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  for (const f of files) {
    const target = path.join(dir, safeRelative(f.path));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, f.content, { mode: f.mode & 0o777 });
    await fs.chmod(target, f.mode & 0o777);
  }
}
