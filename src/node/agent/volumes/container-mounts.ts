// A container's volumeMounts as runtime Mounts: the volume's host path, narrowed by subPath
// (or subPathExpr expanded against the container's environment), which the kubelet creates
// as a directory when missing and which may never climb out of the volume.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPlainObject, type JsonObject } from '../../../api/object.js';
import type { Mount } from '../../runtime/types.js';
import { expand, mappingFor } from '../env/expansion.js';
import { VolumeSetupError, type ResolvedVolume } from './pod-volumes.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function checkSubPath(sub: string): void {
  if (path.isAbsolute(sub)) throw new VolumeSetupError(`subPath ${JSON.stringify(sub)} must be a relative path`);
  if (sub.split('/').includes('..')) throw new VolumeSetupError(`subPath ${JSON.stringify(sub)} must not contain '..'`);
}

export function containerMounts(container: J, volumes: Map<string, ResolvedVolume>, env: [string, string][]): Mount[] {
  const mounts: Mount[] = [];
  const vms = Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isPlainObject) : [];
  for (const vm of vms) {
    const vol = volumes.get(str(vm.name));
    if (!vol) throw new VolumeSetupError(`cannot find volume "${str(vm.name)}" to mount into container "${str(container.name)}"`);
    let sub = str(vm.subPath);
    if (str(vm.subPathExpr)) sub = expand(str(vm.subPathExpr), mappingFor(new Map(env)));
    let hostPath = vol.hostPath;
    if (sub) {
      checkSubPath(sub);
      hostPath = path.join(vol.hostPath, sub);
      if (!fs.existsSync(hostPath)) fs.mkdirSync(hostPath, { recursive: true, mode: 0o750 });
    }
    mounts.push({ hostPath, containerPath: str(vm.mountPath), readOnly: vol.readOnly || vm.readOnly === true });
  }
  return mounts;
}
