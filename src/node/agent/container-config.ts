// The runtime's ContainerConfig for a container spec: environment and argv (after valueFrom,
// envFrom and $(VAR) expansion), mounts, working dir, limits. A container with no command
// runs its image's known command (the process runtime's image table); without one it cannot
// start, and says why.

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../../api/quantity.js';
import type { ContainerConfig, ResourceLimits } from '../runtime/types.js';
import { defaultCommandFor } from '../runtime/process/images.js';
import { ContainerConfigError, containerEnv, expandCommand } from './env/container-env.js';
import type { DownwardContext } from './env/downward-api.js';
import { containerMounts } from './volumes/container-mounts.js';
import type { ResolvedVolume } from './volumes/pod-volumes.js';
import type { WorkerDeps } from './worker-deps.js';

type J = JsonObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function containerLimits(container: J): ResourceLimits | undefined {
  const limits = isPlainObject(container.resources) && isPlainObject(container.resources.limits) ? container.resources.limits : undefined;
  if (!limits) return undefined;
  const out: ResourceLimits = {};
  const mem = parseQuantity(str(limits.memory));
  if (mem) out.memoryBytes = quantityValue(mem);
  const cpu = parseQuantity(str(limits.cpu));
  if (cpu) out.cpuMillis = quantityMilliValue(cpu);
  return Object.keys(out).length ? out : undefined;
}

/** Sum of the containers' limits; a container without one leaves the pod unlimited for it. */
export function podLimits(pod: KObject): ResourceLimits | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).filter(isPlainObject) as J[];
  const all = containers.map(containerLimits);
  const out: ResourceLimits = {};
  if (all.length && all.every((l) => l?.memoryBytes !== undefined)) out.memoryBytes = all.reduce((a, l) => a + l!.memoryBytes!, 0);
  if (all.length && all.every((l) => l?.cpuMillis !== undefined)) out.cpuMillis = all.reduce((a, l) => a + l!.cpuMillis!, 0);
  return Object.keys(out).length ? out : undefined;
}

export async function buildContainerConfig(
  deps: WorkerDeps,
  pod: KObject,
  container: J,
  volumes: Map<string, ResolvedVolume>,
  ctx: DownwardContext,
  attempt: number,
  isInit = false,
): Promise<ContainerConfig> {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const services = deps.serviceVars(pod.metadata.namespace ?? 'default', spec.enableServiceLinks !== false);
  const env = await containerEnv(pod, container, deps.objects, ctx, services);
  const { command, args } = expandCommand(container, env);
  let argv: string[];
  if (command.length) argv = [...command, ...args];
  // args without command replace the image's CMD; the images we know have no entrypoint that matters.
  else if (args.length) argv = args;
  else if (deps.runtime.name === 'simulated') argv = [str(container.image)];
  else {
    const known = (deps.defaultCommandFor ?? defaultCommandFor)(str(container.image));
    if (!known) {
      throw new ContainerConfigError(`image "${str(container.image)}" has no known command and the container sets none; set command`);
    }
    argv = known;
  }
  return {
    name: str(container.name),
    argv,
    env,
    workingDir: str(container.workingDir) || '/',
    mounts: containerMounts(container, volumes, env),
    tty: container.tty === true,
    stdin: container.stdin === true,
    stdinOnce: container.stdinOnce === true,
    limits: containerLimits(container),
    attempt,
    init: isInit,
  };
}
