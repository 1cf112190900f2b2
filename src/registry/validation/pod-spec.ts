// PodSpec validation (ValidatePodSpec in pkg/apis/core/validation): volumes, containers,
// restart and DNS policy, scheduling fields, tolerations. Used for Pods; upstream does not run
// it on StatefulSet templates (kubernetes#137728), so neither do we.

import { isPlainObject, type JsonObject } from '../../api/object.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError, type FieldPath } from '../../api/field-errors.js';
import { inclusiveRangeError, validateDNS1123Label, validateDNS1123Subdomain } from './core-values.js';
import { validateContainers, validateInitContainers } from './container.js';
import { validateLabels, isDNS1123Subdomain, isQualifiedName } from './metadata.js';

type J = JsonObject;

const objects = (v: unknown): J[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isSet = (v: unknown) => v !== undefined && v !== null;

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function validateVolumeSource(v: J, path: FieldPath): FieldError[] {
  const present = VOLUME_SOURCES.filter((s) => isSet(v[s]));
  if (present.length === 0) return [required(path, 'must specify a volume type')];
  const errs: FieldError[] = present.slice(1).map((s) => forbidden(path.child(s), 'may not specify more than 1 volume type'));
  const src = (k: string) => (isPlainObject(v[k]) ? (v[k] as J) : undefined);
  const pvc = src('persistentVolumeClaim');
  if (pvc && !str(pvc.claimName)) errs.push(required(path.child('persistentVolumeClaim', 'claimName')));
  const secret = src('secret');
  if (secret && !str(secret.secretName) && secret.optional !== true) errs.push(required(path.child('secret', 'secretName')));
  const hostPath = src('hostPath');
  if (hostPath && !str(hostPath.path)) errs.push(required(path.child('hostPath', 'path')));
  const nfs = src('nfs');
  if (nfs) {
    if (!str(nfs.server)) errs.push(required(path.child('nfs', 'server')));
    if (!str(nfs.path)) errs.push(required(path.child('nfs', 'path')));
    else if (!str(nfs.path).startsWith('/')) errs.push(invalid(path.child('nfs', 'path'), nfs.path, 'must be an absolute path'));
  }
  return errs;
}

/** Returns the errors and the set of valid-enough names that volume mounts may refer to. */
export function validateVolumes(volumes: unknown, path: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(volumes).forEach((v, i) => {
    const at = path.index(i);
    const name = str(v.name);
    errs.push(...validateVolumeSource(v, at));
    if (!name) errs.push(required(at.child('name')));
    else errs.push(...validateDNS1123Label(name, at.child('name')));
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else if (name) names.add(name);
  });
  return { errs, names };
}

export function validateRestartPolicy(policy: unknown, path: FieldPath): FieldError[] {
  const p = str(policy);
  if (!p) return [required(path)];
  const ok = ['Always', 'OnFailure', 'Never'];
  return ok.includes(p) ? [] : [notSupported(path, p, ok)];
}

function validateDNSPolicy(policy: unknown, path: FieldPath): FieldError[] {
  const p = str(policy);
  if (!p) return [required(path)];
  const ok = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  return ok.includes(p) ? [] : [notSupported(path, p, ok)];
}

function validateDNSConfig(spec: J, path: FieldPath): FieldError[] {
  if (spec.dnsPolicy !== 'None') return [];
  const cfg = spec.dnsConfig;
  if (!isPlainObject(cfg)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  const servers = Array.isArray(cfg.nameservers) ? cfg.nameservers : [];
  return servers.length ? [] : [required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
}

function validateTolerations(tolerations: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objects(tolerations).forEach((t, i) => {
    const at = path.index(i);
    const key = str(t.key);
    if (key) for (const m of isQualifiedName(key)) errs.push(invalid(at.child('key'), key, m));
    const op = str(t.operator);
    if (!key && op !== 'Exists') errs.push(invalid(at.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (isSet(t.tolerationSeconds) && str(t.effect) !== 'NoExecute') {
      errs.push(invalid(at.child('effect'), str(t.effect), 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (op === 'Exists' && str(t.value)) errs.push(invalid(at.child('operator'), t, 'value must be empty when `operator` is \'Exists\''));
    else if (op && op !== 'Equal' && op !== 'Exists') errs.push(notSupported(at.child('operator'), op, ['Equal', 'Exists']));
    const effect = str(t.effect);
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(notSupported(at.child('effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** ValidatePodSpec, for the fields that matter in practice. */
export function validatePodSpec(spec: J, path: FieldPath): FieldError[] {
  const { errs, names } = validateVolumes(spec.volumes, path.child('volumes'));
  errs.push(...validateContainers(spec.containers, names, path.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, names, path.child('initContainers')));
  errs.push(...validateRestartPolicy(spec.restartPolicy, path.child('restartPolicy')));
  errs.push(...validateDNSPolicy(spec.dnsPolicy, path.child('dnsPolicy')));
  errs.push(...validateLabels(isPlainObject(spec.nodeSelector) ? (spec.nodeSelector as Record<string, string>) : undefined, path.child('nodeSelector')));
  errs.push(...validateDNSConfig(spec, path.child('dnsConfig')));
  const sa = str(spec.serviceAccountName);
  if (sa) for (const m of isDNS1123Subdomain(sa)) errs.push(invalid(path.child('serviceAccountName'), sa, m));
  const nodeName = str(spec.nodeName);
  if (nodeName) errs.push(...validateDNS1123Subdomain(nodeName, path.child('nodeName')));
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > 4294967295)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), ads, inclusiveRangeError(1, 4294967295)));
  }
  const hostname = str(spec.hostname);
  if (hostname) errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const subdomain = str(spec.subdomain);
  if (subdomain) errs.push(...validateDNS1123Label(subdomain, path.child('subdomain')));
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  const pc = str(spec.priorityClassName);
  if (pc) for (const m of isDNS1123Subdomain(pc)) errs.push(invalid(path.child('priorityClassName'), pc, m));
  const pp = spec.preemptionPolicy;
  if (isSet(pp) && !['PreemptLowerPriority', 'Never'].includes(str(pp))) {
    errs.push(notSupported(path.child('preemptionPolicy'), pp, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}
