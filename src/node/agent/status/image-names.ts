// Image references as the CRI reports them: a name completed with the docker.io/library
// defaults and a :latest tag; and an image ID. No image is pulled here (the host's binaries
// run), so the ID is a stable sha256 of the normalised name, shaped like a digest reference.

import { createHash } from 'node:crypto';

export function normalizeImage(image: string): string {
  if (!image) return image;
  let name = image;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasRegistry) name = slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!digest && !lastSegment.includes(':')) name += ':latest';
  return name + digest;
}

export function imageID(normalized: string): string {
  const repo = normalized.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return `${repo}@sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}
