// A container's environment and argv, as the kubelet computes them (makeEnvironmentVariables,
// ExpandContainerCommandAndArgs): envFrom first, then env in order, each `value` expanded
// against what is defined so far and the service variables; valueFrom read from the pod,
// ConfigMaps and Secrets; then `$(VAR)` in command and args against the final environment.

import { isPlainObject, type JsonObject, type KObject } from '../../../api/object.js';
import { expand, mappingFor } from './expansion.js';
import { fieldRefValue, resourceFieldValue, type DownwardContext } from './downward-api.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** Reads ConfigMaps and Secrets of the pod's namespace; undefined when absent. */
export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<KObject | undefined>;
  secret(namespace: string, name: string): Promise<KObject | undefined>;
}

/** Why a container cannot be configured: shown as CreateContainerConfigError, as upstream. */
export class ContainerConfigError extends Error {}

function configMapData(cm: KObject): Record<string, string> {
  return isPlainObject(cm.data) ? (cm.data as Record<string, string>) : {};
}

function secretData(secret: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = isPlainObject(secret.data) ? (secret.data as Record<string, string>) : {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Since 1.32 (RelaxedEnvironmentVariableValidation) any printable ASCII but '=' names a variable. */
const isEnvName = (name: string) => /^[\x20-\x3c\x3e-\x7e]+$/.test(name);

async function envFromEntries(pod: KObject, container: J, src: ConfigSource, into: Map<string, string>): Promise<void> {
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of objects(container.envFrom)) {
    const prefix = str(from.prefix);
    if (isPlainObject(from.configMapRef)) {
      const ref = from.configMapRef;
      const cm = await src.configMap(ns, str(ref.name));
      if (!cm) {
        if (ref.optional === true) continue;
        throw new ContainerConfigError(`configmap "${str(ref.name)}" not found`);
      }
      for (const [k, v] of Object.entries(configMapData(cm))) if (isEnvName(prefix + k)) into.set(prefix + k, v);
    } else if (isPlainObject(from.secretRef)) {
      const ref = from.secretRef;
      const secret = await src.secret(ns, str(ref.name));
      if (!secret) {
        if (ref.optional === true) continue;
        throw new ContainerConfigError(`secret "${str(ref.name)}" not found`);
      }
      for (const [k, v] of Object.entries(secretData(secret))) if (isEnvName(prefix + k)) into.set(prefix + k, v);
    }
  }
}

async function valueFrom(pod: KObject, container: J, from: J, src: ConfigSource, ctx: DownwardContext): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  if (isPlainObject(from.fieldRef)) return fieldRefValue(pod, str(from.fieldRef.fieldPath), ctx);
  if (isPlainObject(from.resourceFieldRef)) {
    const r = from.resourceFieldRef;
    return resourceFieldValue(pod, str(r.containerName) || str(container.name), str(r.resource), str(r.divisor) || undefined, ctx);
  }
  if (isPlainObject(from.configMapKeyRef)) {
    const ref = from.configMapKeyRef;
    const cm = await src.configMap(ns, str(ref.name));
    if (!cm) {
      if (ref.optional === true) return undefined;
      throw new ContainerConfigError(`configmap "${str(ref.name)}" not found`);
    }
    const v = configMapData(cm)[str(ref.key)];
    if (v === undefined) {
      if (ref.optional === true) return undefined;
      throw new ContainerConfigError(`couldn't find key ${str(ref.key)} in ConfigMap ${ns}/${str(ref.name)}`);
    }
    return v;
  }
  if (isPlainObject(from.secretKeyRef)) {
    const ref = from.secretKeyRef;
    const secret = await src.secret(ns, str(ref.name));
    if (!secret) {
      if (ref.optional === true) return undefined;
      throw new ContainerConfigError(`secret "${str(ref.name)}" not found`);
    }
    const v = secretData(secret)[str(ref.key)];
    if (v === undefined) {
      if (ref.optional === true) return undefined;
      throw new ContainerConfigError(`couldn't find key ${str(ref.key)} in Secret ${ns}/${str(ref.name)}`);
    }
    return v;
  }
  return '';
}

/** The container's final environment, in definition order, service variables last. */
export async function containerEnv(
  pod: KObject,
  container: J,
  src: ConfigSource,
  ctx: DownwardContext,
  serviceVars: ReadonlyMap<string, string>,
): Promise<[string, string][]> {
  const env = new Map<string, string>();
  await envFromEntries(pod, container, src, env);
  for (const e of objects(container.env)) {
    const name = str(e.name);
    if (isPlainObject(e.valueFrom)) {
      const v = await valueFrom(pod, container, e.valueFrom, src, ctx);
      if (v !== undefined) env.set(name, v);
    } else {
      env.set(name, expand(str(e.value), mappingFor(env, serviceVars)));
    }
  }
  const out: [string, string][] = [...env.entries()];
  for (const [k, v] of serviceVars) if (!env.has(k)) out.push([k, v]);
  return out;
}

/** command and args with `$(VAR)` expanded against the final environment. */
export function expandCommand(container: J, env: [string, string][]): { command: string[]; args: string[] } {
  const mapping = mappingFor(new Map(env));
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => expand(String(x), mapping)) : []);
  return { command: list(container.command), args: list(container.args) };
}
