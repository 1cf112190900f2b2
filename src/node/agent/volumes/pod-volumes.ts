// Turns a pod's spec.volumes into directories (or files) on this machine, as the kubelet's
// volume manager mounts them: emptyDir and the projected kinds under the pod's directory,
// hostPath as given, a claim through its bound PersistentVolume (hostPath, local, or an nfs
// source mapped by nfsDirectory). A claim not yet bound, or a missing ConfigMap/Secret,
// raises VolumeSetupError: the worker keeps the pod in ContainerCreating and retries.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import type { DownwardContext } from '../env/downward-api.js';
import { nfsDirectory, nfsRoot } from '../../../api/nfs-path.js';
import { configMapPayload, downwardFiles, keyedFiles, secretPayload, VolumeSetupError, writeProjectedFiles, type ProjectedFile } from './projected-files.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export { VolumeSetupError };

/** The objects a volume may refer to, read fresh; undefined when absent. */
export interface VolumeObjects {
  configMap(namespace: string, name: string): Promise<KObject | undefined>;
  secret(namespace: string, name: string): Promise<KObject | undefined>;
  claim(namespace: string, name: string): Promise<KObject | undefined>;
  volume(name: string): Promise<KObject | undefined>;
}

export interface ResolvedVolume {
  name: string;
  hostPath: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
}

/** `DATA_DIR/pods/<uid>`: everything the agent writes for one pod. */
export function podDirectory(dataDir: string, uid: string): string {
  return path.join(dataDir, 'pods', uid);
}

export function volumeDirectory(dataDir: string, uid: string, volumeName: string): string {
  return path.join(podDirectory(dataDir, uid), 'volumes', volumeName);
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

async function hostPathVolume(src: J): Promise<string> {
  const p = str(src.path);
  const type = str(src.type);
  if (type === 'DirectoryOrCreate') await fs.mkdir(p, { recursive: true, mode: 0o755 });
  else if (type === 'FileOrCreate') {
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, '', { flag: 'a' });
  } else if (type) {
    const st = await fs.stat(p).catch(() => undefined);
    const ok =
      (type === 'Directory' && st?.isDirectory()) ||
      (type === 'File' && st?.isFile()) ||
      (type === 'Socket' && st?.isSocket()) ||
      (type === 'CharDevice' && st?.isCharacterDevice()) ||
      (type === 'BlockDevice' && st?.isBlockDevice());
    if (!ok) throw new VolumeSetupError(`hostPath type check failed: ${p} is not a ${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`);
  }
  return p;
}

/** The directory of a bound PersistentVolume's source. */
export function persistentVolumeDirectory(pv: KObject, dataDir: string): string {
  const spec = isPlainObject(pv.spec) ? pv.spec : {};
  if (isPlainObject(spec.hostPath)) return str(spec.hostPath.path);
  if (isPlainObject(spec.local)) return str(spec.local.path);
  if (isPlainObject(spec.nfs)) return nfsDirectory(dataDir, str(spec.nfs.server), str(spec.nfs.path));
  throw new VolumeSetupError(`persistentvolume "${pv.metadata.name}" has a volume source this node cannot mount (hostPath, local and nfs are supported)`);
}

/**
 * mkdir -p of an NFS volume's directory, one component at a time below DATA_DIR/nfs, refusing
 * to pass through a symbolic link or a non-directory: a pod can plant a link in its own NFS
 * volume, and another volume's path must not follow it out of the NFS tree.
 */
async function makeNfsDirectory(dataDir: string, dir: string): Promise<void> {
  const root = nfsRoot(dataDir);
  await fs.mkdir(root, { recursive: true });
  let cur = root;
  for (const segment of path.relative(root, dir).split(path.sep)) {
    cur = path.join(cur, segment);
    let st = await fs.lstat(cur).catch(() => undefined);
    if (!st) {
      await fs.mkdir(cur).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      st = await fs.lstat(cur);
    }
    if (st.isSymbolicLink()) throw new VolumeSetupError(`nfs volume: ${cur} is a symbolic link; refusing to follow it`);
    if (!st.isDirectory()) throw new VolumeSetupError(`nfs volume: ${cur} is not a directory`);
  }
}

async function claimVolume(objs: VolumeObjects, pod: KObject, claimName: string, dataDir: string): Promise<string> {
  const ns = pod.metadata.namespace ?? 'default';
  const pvc = await objs.claim(ns, claimName);
  if (!pvc) throw new VolumeSetupError(`persistentvolumeclaim "${claimName}" not found`);
  if (pvc.metadata.deletionTimestamp) throw new VolumeSetupError(`error processing PVC ${ns}/${claimName}: PVC is being deleted`);
  const volumeName = isPlainObject(pvc.spec) ? str(pvc.spec.volumeName) : '';
  const phase = isPlainObject(pvc.status) ? str(pvc.status.phase) : '';
  if (!volumeName || phase !== 'Bound') throw new VolumeSetupError(`error processing PVC ${ns}/${claimName}: PVC is not bound`);
  const pv = await objs.volume(volumeName);
  if (!pv) throw new VolumeSetupError(`error processing PVC ${ns}/${claimName}: persistentvolume "${volumeName}" not found`);
  const dir = persistentVolumeDirectory(pv, dataDir);
  if (isPlainObject(pv.spec) && isPlainObject(pv.spec.nfs)) await makeNfsDirectory(dataDir, dir);
  else if (isPlainObject(pv.spec) && isPlainObject(pv.spec.hostPath)) await fs.mkdir(dir, { recursive: true });
  else if (!(await exists(dir))) throw new VolumeSetupError(`local volume path ${dir} does not exist`);
  return dir;
}

async function projectedSourceFiles(objs: VolumeObjects, pod: KObject, source: J, ctx: DownwardContext, defaultMode: number): Promise<ProjectedFile[]> {
  const ns = pod.metadata.namespace ?? 'default';
  if (isPlainObject(source.configMap)) {
    const ref = source.configMap;
    const cm = await objs.configMap(ns, str(ref.name));
    if (!cm) {
      if (ref.optional === true) return [];
      throw new VolumeSetupError(`configmap "${str(ref.name)}" not found`);
    }
    return keyedFiles(configMapPayload(cm), ref, 'ConfigMap', defaultMode);
  }
  if (isPlainObject(source.secret)) {
    const ref = source.secret;
    const secretName = str(ref.name) || str(ref.secretName);
    const secret = await objs.secret(ns, secretName);
    if (!secret) {
      if (ref.optional === true) return [];
      throw new VolumeSetupError(`secret "${secretName}" not found`);
    }
    return keyedFiles(secretPayload(secret), ref, 'Secret', defaultMode);
  }
  if (isPlainObject(source.downwardAPI)) return downwardFiles(pod, source.downwardAPI, ctx, defaultMode);
  // serviceAccountToken and clusterTrustBundle sources: no token issuer here; nothing is written.
  return [];
}

const modeOf = (src: J, fallback: number) => (typeof src.defaultMode === 'number' ? src.defaultMode : fallback);

async function resolveOne(objs: VolumeObjects, pod: KObject, vol: J, dataDir: string, ctx: DownwardContext): Promise<ResolvedVolume> {
  const name = str(vol.name);
  const uid = pod.metadata.uid ?? '';
  const own = volumeDirectory(dataDir, uid, name);
  if (isPlainObject(vol.emptyDir)) {
    await fs.mkdir(own, { recursive: true, mode: 0o777 });
    await fs.chmod(own, 0o777);
    return { name, hostPath: own, readOnly: false };
  }
  if (isPlainObject(vol.hostPath)) return { name, hostPath: await hostPathVolume(vol.hostPath), readOnly: false };
  if (isPlainObject(vol.persistentVolumeClaim)) {
    const dir = await claimVolume(objs, pod, str(vol.persistentVolumeClaim.claimName), dataDir);
    return { name, hostPath: dir, readOnly: vol.persistentVolumeClaim.readOnly === true };
  }
  if (isPlainObject(vol.ephemeral)) {
    // Generic ephemeral volumes: the claim is named <pod>-<volume> by the ephemeral controller.
    return { name, hostPath: await claimVolume(objs, pod, `${pod.metadata.name}-${name}`, dataDir), readOnly: false };
  }
  let files: ProjectedFile[] | undefined;
  if (isPlainObject(vol.configMap)) files = await projectedSourceFiles(objs, pod, { configMap: vol.configMap }, ctx, modeOf(vol.configMap, 0o644));
  else if (isPlainObject(vol.secret)) files = await projectedSourceFiles(objs, pod, { secret: vol.secret }, ctx, modeOf(vol.secret, 0o644));
  else if (isPlainObject(vol.downwardAPI)) files = downwardFiles(pod, vol.downwardAPI, ctx, modeOf(vol.downwardAPI, 0o644));
  else if (isPlainObject(vol.projected)) {
    files = [];
    for (const s of objects(vol.projected.sources)) files.push(...(await projectedSourceFiles(objs, pod, s, ctx, modeOf(vol.projected, 0o644))));
  }
  if (!files) throw new VolumeSetupError(`volume "${name}" has a source this node does not support`);
  await writeProjectedFiles(own, files);
  return { name, hostPath: own, readOnly: true };
}

/** Every volume of the pod, set up; the first failure names its volume. */
export async function resolvePodVolumes(objs: VolumeObjects, pod: KObject, dataDir: string, ctx: DownwardContext): Promise<Map<string, ResolvedVolume>> {
  const out = new Map<string, ResolvedVolume>();
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  for (const vol of objects(spec.volumes)) {
    try {
      out.set(str(vol.name), await resolveOne(objs, pod, vol, dataDir, ctx));
    } catch (err) {
      const message = (err as Error).message;
      if (isPlainObject(vol.persistentVolumeClaim) || isPlainObject(vol.ephemeral)) {
        throw new VolumeSetupError(`Unable to attach or mount volumes: unmounted volumes=[${str(vol.name)}]: ${message}`);
      }
      throw new VolumeSetupError(`MountVolume.SetUp failed for volume "${str(vol.name)}" : ${message}`);
    }
  }
  return out;
}
