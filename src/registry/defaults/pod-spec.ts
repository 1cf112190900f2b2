// Defaults of core/v1 PodSpec and PodTemplateSpec (SetDefaults_PodSpec, _Container, _Probe,
// _Volume … in pkg/apis/core/v1/defaults.go), shared by pods and the templates of workloads.
// Every function is idempotent: the registry re-applies defaults on every write and compares
// the defaulted objects.

import { isPlainObject, type JsonObject } from '../../api/object.js';

type J = JsonObject;

const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

function setIfAbsent(o: J, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

/**
 * `Always` for `:latest` or an untagged image, else `IfNotPresent`. A digest pins the image,
 * so it counts as a tag.
 */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** HTTPGetAction is used by probes and lifecycle hooks alike. */
function defaultHandler(handler: unknown): void {
  if (!isPlainObject(handler)) return;
  const httpGet = handler.httpGet;
  if (isPlainObject(httpGet)) {
    setIfAbsent(httpGet, 'path', '/');
    setIfAbsent(httpGet, 'scheme', 'HTTP');
  }
}

export function defaultProbe(probe: unknown): void {
  if (!isPlainObject(probe)) return;
  defaultHandler(probe);
  setIfAbsent(probe, 'timeoutSeconds', 1);
  setIfAbsent(probe, 'periodSeconds', 10);
  setIfAbsent(probe, 'successThreshold', 1);
  setIfAbsent(probe, 'failureThreshold', 3);
}

function defaultFieldRef(source: unknown): void {
  if (isPlainObject(source) && isPlainObject(source.fieldRef)) setIfAbsent(source.fieldRef, 'apiVersion', 'v1');
}

export function defaultContainer(c: J): void {
  if (typeof c.image === 'string' && c.image) setIfAbsent(c, 'imagePullPolicy', imagePullPolicyFor(c.image));
  setIfAbsent(c, 'terminationMessagePath', '/dev/termination-log');
  setIfAbsent(c, 'terminationMessagePolicy', 'File');
  // Go serialises the (non-pointer) ResourceRequirements struct even when it is empty.
  if (!isPlainObject(c.resources)) c.resources = {};
  for (const p of objects(c.ports)) setIfAbsent(p, 'protocol', 'TCP');
  for (const e of objects(c.env)) defaultFieldRef(e.valueFrom);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isPlainObject(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

/** With hostNetwork the container port is the host port. */
function defaultHostNetworkPorts(containers: J[]): void {
  for (const c of containers) for (const p of objects(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

export function defaultVolume(v: J): void {
  // A volume without any source is an emptyDir.
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  if (isPlainObject(v.hostPath)) setIfAbsent(v.hostPath, 'type', '');
  // A mode is an octal permission; 420 is 0644.
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isPlainObject(v[s]) && v[s].defaultMode === undefined) (v[s] as J).defaultMode = 420;
  }
  if (isPlainObject(v.downwardAPI)) for (const item of objects(v.downwardAPI.items)) defaultFieldRef(item);
  if (isPlainObject(v.projected)) {
    for (const src of objects(v.projected.sources)) {
      if (isPlainObject(src.downwardAPI)) for (const item of objects(src.downwardAPI.items)) defaultFieldRef(item);
      if (isPlainObject(src.serviceAccountToken)) setIfAbsent(src.serviceAccountToken, 'expirationSeconds', 3600);
    }
  }
}

/** Defaults every PodSpec gets, in a pod or in a template. */
export function defaultPodSpec(spec: J): void {
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst');
  setIfAbsent(spec, 'restartPolicy', 'Always');
  setIfAbsent(spec, 'schedulerName', 'default-scheduler');
  if (!isPlainObject(spec.securityContext)) spec.securityContext = {};
  if (typeof spec.terminationGracePeriodSeconds !== 'number') spec.terminationGracePeriodSeconds = 30;
  // v1 keeps the deprecated `serviceAccount` alias in step with `serviceAccountName`.
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) setIfAbsent(spec, 'serviceAccount', spec.serviceAccountName);
  else if (typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  const containers = [...objects(spec.containers), ...objects(spec.initContainers)];
  for (const c of containers) defaultContainer(c);
  for (const c of objects(spec.ephemeralContainers)) defaultContainer(c);
  if (spec.hostNetwork === true) defaultHostNetworkPorts(containers);
  for (const v of objects(spec.volumes)) defaultVolume(v);
}

/**
 * Extra defaults of a Pod (SetDefaults_Pod) that templates do not get: service links on, and
 * limits copied to missing requests.
 */
export function defaultPodOnlySpec(spec: J): void {
  if (typeof spec.enableServiceLinks !== 'boolean') spec.enableServiceLinks = true;
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) {
    const res = isPlainObject(c.resources) ? c.resources : undefined;
    if (!res || !isPlainObject(res.limits)) continue;
    const requests = isPlainObject(res.requests) ? res.requests : (res.requests = {});
    for (const [k, v] of Object.entries(res.limits)) if (requests[k] === undefined) requests[k] = v;
  }
}

/** PodTemplateSpec: the spec defaults, and the `creationTimestamp: null` Go serialises. */
export function defaultPodTemplateSpec(template: J): void {
  const meta = isPlainObject(template.metadata) ? template.metadata : (template.metadata = {});
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  const spec = isPlainObject(template.spec) ? template.spec : (template.spec = {});
  defaultPodSpec(spec);
}
