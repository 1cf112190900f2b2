// Container validation (validateContainers and the helpers it calls in
// pkg/apis/core/validation): names, image, ports, env, volume mounts, resources, probes.
// Covers the errors people actually hit, with upstream's field paths and texts.

import { isPlainObject, type JsonObject } from '../../api/object.js';
import { duplicate, forbidden, invalid, notFoundField, notSupported, required, type FieldError, type FieldPath } from '../../api/field-errors.js';
import { compareQuantities, formatQuantity, parseQuantity, quantitySign } from '../../api/quantity.js';
import { isValidPortName, isValidPortNum, validateDNS1123Label, validatePortNumOrName } from './core-values.js';

type J = JsonObject;

const objects = (v: unknown): J[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const NEGATIVE_ERROR = 'must be greater than or equal to 0';

export function validateNonnegative(v: unknown, path: FieldPath): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(path, v, NEGATIVE_ERROR)] : [];
}

function validatePorts(ports: J[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = path.index(i);
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(at.child('name'), name, m));
      else if (names.has(name)) errs.push(duplicate(at.child('name'), name));
      else names.add(name);
    }
    if (!p.containerPort) errs.push(required(at.child('containerPort')));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(at.child('containerPort'), p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(at.child('hostPort'), p.hostPort, m));
    const protocol = str(p.protocol);
    if (!protocol) errs.push(required(at.child('protocol')));
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(notSupported(at.child('protocol'), protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

// Relaxed env-var names (beta and on by default since 1.32): printable ASCII except '='.
const RELAXED_ENV_NAME_ERROR = "a valid environment variable name must consist only of printable ASCII characters other than '='";

function validateEnvValueFrom(e: J, path: FieldPath): FieldError[] {
  const from = e.valueFrom;
  if (!isPlainObject(from)) return [];
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isPlainObject(from[k]));
  const errs: FieldError[] = [];
  if (sources.length === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(e.value) !== '') {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources.length > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  for (const k of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = from[k];
    if (!isPlainObject(ref)) continue;
    if (!str(ref.key)) errs.push(required(path.child(k, 'key')));
  }
  if (isPlainObject(from.fieldRef) && !str(from.fieldRef.fieldPath)) errs.push(required(path.child('fieldRef', 'fieldPath')));
  return errs;
}

function validateEnv(env: J[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const at = path.index(i);
    const name = str(e.name);
    if (!name) errs.push(required(at.child('name')));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) errs.push(invalid(at.child('name'), name, RELAXED_ENV_NAME_ERROR));
    errs.push(...validateEnvValueFrom(e, at.child('valueFrom')));
  });
  return errs;
}

/** `volumes` holds the pod's volume names; in a StatefulSet template the claim templates count too. */
function validateVolumeMounts(mounts: J[], volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    const at = path.index(i);
    const name = str(m.name);
    if (!name) errs.push(required(at.child('name')));
    if (!volumes.has(name)) errs.push(notFoundField(at.child('name'), name));
    const mountPath = str(m.mountPath);
    if (!mountPath) errs.push(required(at.child('mountPath')));
    if (paths.has(mountPath)) errs.push(invalid(at.child('mountPath'), mountPath, 'must be unique'));
    paths.add(mountPath);
  });
  return errs;
}

const isStandardContainerResource = (n: string) => ['cpu', 'memory', 'ephemeral-storage'].includes(n) || n.startsWith('hugepages-');
/** Native resources (no domain, or kubernetes.io) may be overcommitted; extended ones and hugepages may not. */
const overcommitAllowed = (n: string) => (!n.includes('/') || n.includes('kubernetes.io/')) && !n.startsWith('hugepages-');

function validateResources(res: unknown, path: FieldPath): FieldError[] {
  if (!isPlainObject(res)) return [];
  const errs: FieldError[] = [];
  const limits = isPlainObject(res.limits) ? res.limits : {};
  const requests = isPlainObject(res.requests) ? res.requests : {};
  const checkEntry = (name: string, raw: unknown, at: FieldPath) => {
    if (!name.includes('/') && !isStandardContainerResource(name)) errs.push(invalid(at, name, 'must be a standard resource for containers'));
    const q = parseQuantity(String(raw));
    if (q && quantitySign(q) < 0) errs.push(invalid(at, formatQuantity(q), NEGATIVE_ERROR));
  };
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  for (const name of Object.keys(limits).sort()) checkEntry(name, limits[name], limPath.key(name));
  for (const name of Object.keys(requests).sort()) {
    checkEntry(name, requests[name], reqPath.key(name));
    const req = parseQuantity(String(requests[name]));
    if (limits[name] === undefined) {
      if (!overcommitAllowed(name)) errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
      continue;
    }
    const lim = parseQuantity(String(limits[name]));
    if (!req || !lim) continue;
    const cmp = compareQuantities(req, lim);
    if (cmp !== 0 && !overcommitAllowed(name)) {
      errs.push(invalid(reqPath, formatQuantity(req), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
    } else if (cmp > 0) {
      errs.push(invalid(reqPath, formatQuantity(req), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
    }
  }
  return errs;
}

const HANDLER_KINDS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];

function validateHandler(h: J, path: FieldPath): FieldError[] {
  const present = HANDLER_KINDS.filter((k) => isPlainObject(h[k]));
  if (present.length === 0) return [required(path, 'must specify a handler type')];
  const errs: FieldError[] = present.slice(1).map((k) => forbidden(path.child(k), 'may not specify more than 1 handler type'));
  const httpGet = h.httpGet;
  if (isPlainObject(httpGet)) {
    if (!str(httpGet.path)) errs.push(required(path.child('httpGet', 'path')));
    errs.push(...validatePortNumOrName(httpGet.port, path.child('httpGet', 'port')));
    const scheme = str(httpGet.scheme);
    if (scheme && !['HTTP', 'HTTPS'].includes(scheme)) errs.push(notSupported(path.child('httpGet', 'scheme'), scheme, ['HTTP', 'HTTPS']));
  }
  if (isPlainObject(h.tcpSocket)) errs.push(...validatePortNumOrName(h.tcpSocket.port, path.child('tcpSocket', 'port')));
  if (isPlainObject(h.exec) && !(Array.isArray(h.exec.command) && h.exec.command.length)) errs.push(required(path.child('exec', 'command')));
  return errs;
}

function validateProbe(probe: unknown, path: FieldPath, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isPlainObject(probe)) return [];
  const errs = validateHandler(probe, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(probe[f], path.child(f)));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (kind === 'readiness' && grace !== undefined && grace !== null) {
    errs.push(invalid(path.child('terminationGracePeriodSeconds'), grace, 'must not be set for readinessProbes'));
  } else if (typeof grace === 'number' && grace <= 0) {
    errs.push(invalid(path.child('terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    errs.push(invalid(path.child('successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validatePullPolicy(policy: unknown, path: FieldPath): FieldError[] {
  const p = str(policy);
  if (!p) return [required(path)];
  const ok = ['Always', 'IfNotPresent', 'Never'];
  return ok.includes(p) ? [] : [notSupported(path, p, ok)];
}

/** The checks every container kind shares (validateContainerCommon). */
function validateContainerCommon(c: J, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(path.child('name')));
  else errs.push(...validateDNS1123Label(name, path.child('name')));
  const image = str(c.image);
  if (!image) errs.push(required(path.child('image')));
  else if (image !== image.trim()) errs.push(invalid(path.child('image'), image, 'must not have leading or trailing whitespace'));
  errs.push(...validatePorts(objects(c.ports), path.child('ports')));
  errs.push(...validateEnv(objects(c.env), path.child('env')));
  errs.push(...validateVolumeMounts(objects(c.volumeMounts), volumes, path.child('volumeMounts')));
  errs.push(...validatePullPolicy(c.imagePullPolicy, path.child('imagePullPolicy')));
  errs.push(...validateResources(c.resources, path.child('resources')));
  return errs;
}

function validateLifecycleAndProbes(c: J, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isPlainObject(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      const h = c.lifecycle[hook];
      if (isPlainObject(h)) errs.push(...validateHandler(h, path.child('lifecycle', hook)));
    }
  }
  errs.push(...validateProbe(c.livenessProbe, path.child('livenessProbe'), 'liveness'));
  errs.push(...validateProbe(c.readinessProbe, path.child('readinessProbe'), 'readiness'));
  errs.push(...validateProbe(c.startupProbe, path.child('startupProbe'), 'startup'));
  return errs;
}

/** Regular containers: at least one, unique names, probes allowed, no restartPolicy. */
export function validateContainers(containers: unknown, volumes: Set<string>, path: FieldPath): FieldError[] {
  const list = objects(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const at = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, at));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else names.add(name);
    errs.push(...validateLifecycleAndProbes(c, at));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      errs.push(forbidden(at.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  return errs;
}

/**
 * Init containers: names unique across init and regular containers. Only restartable
 * (sidecar, `restartPolicy: Always`) init containers may have probes and lifecycle hooks.
 */
export function validateInitContainers(containers: unknown, regular: unknown, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objects(regular).map((c) => str(c.name)));
  objects(containers).forEach((c, i) => {
    const at = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, at));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else names.add(name);
    const policy = c.restartPolicy;
    if (policy !== undefined && policy !== null && policy !== 'Always') errs.push(notSupported(at.child('restartPolicy'), policy, ['Always']));
    if (policy === 'Always') {
      errs.push(...validateLifecycleAndProbes(c, at));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(at.child(f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}
