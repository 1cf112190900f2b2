// Images are not pulled: a container runs the host's binaries. A container with a `command`
// runs it whatever its image; for a few well-known images without one, this table says what
// to run instead. Anything else without a command cannot start (the agent reports why).
//
//   image (any registry prefix, tag or digest)              runs
//   nginx, k8s.gcr.io/nginx-slim, registry.k8s.io/nginx-slim  python3 -m http.server 80 --directory /usr/share/nginx/html
//   python, python3                                           python3 (an interactive interpreter, as the image's default)
//   busybox, alpine, debian, ubuntu                           sh
//   registry.k8s.io/pause, k8s.gcr.io/pause                   sleep infinity
//
// Inside every sandbox `python` resolves to python3 when the host has no `python`.

const STATIC_NGINX = ['python3', '-m', 'http.server', '80', '--directory', '/usr/share/nginx/html'];

const TABLE: Record<string, string[]> = {
  nginx: STATIC_NGINX,
  'library/nginx': STATIC_NGINX,
  'k8s.gcr.io/nginx-slim': STATIC_NGINX,
  'registry.k8s.io/nginx-slim': STATIC_NGINX,
  'gcr.io/google_containers/nginx-slim': STATIC_NGINX,
  python: ['python3'],
  'library/python': ['python3'],
  busybox: ['sh'],
  alpine: ['/bin/sh'],
  debian: ['bash'],
  ubuntu: ['bash'],
  'registry.k8s.io/pause': ['sleep', 'infinity'],
  'k8s.gcr.io/pause': ['sleep', 'infinity'],
};

/** The image reference without tag or digest and without the Docker Hub registry prefix. */
export function imageRepository(image: string): string {
  let ref = image.trim().toLowerCase();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  for (const hub of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
    if (ref.startsWith(hub)) ref = ref.slice(hub.length);
  }
  return ref;
}

/**
 * The argv a container of this image runs when it has neither `command` nor `args`. (With
 * `args` but no `command` the args replace the image's CMD; none of these images has an
 * entrypoint that matters, so the agent runs the args.)
 */
export function defaultCommandFor(image: string): string[] | undefined {
  const cmd = TABLE[imageRepository(image)];
  return cmd ? [...cmd] : undefined;
}
