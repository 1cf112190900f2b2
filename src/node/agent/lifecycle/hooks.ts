// Container lifecycle handlers (postStart, preStop), run as the kubelet's handler runner does:
// exec, httpGet or sleep inside the pod; failures reported with upstream's messages. A
// simulated runtime runs none (nothing to run them in).

import { isPlainObject, type JsonObject } from '../../../api/object.js';
import { runAction, type ActionTarget } from '../probes/probe-actions.js';

type J = JsonObject;

/** Upstream's "<kind> lifecycle hook (<what>) for Container … failed" message, or undefined on success. */
export async function runHook(t: ActionTarget, handler: J, podDesc: string, timeoutMs: number): Promise<string | undefined> {
  if (t.runtime.simulateProbe) return undefined;
  const outcome = await runAction(t, handler, timeoutMs);
  if (outcome.ok) return undefined;
  let what = 'handler';
  let kind = 'Unknown';
  if (isPlainObject(handler.exec)) {
    kind = 'Exec';
    what = `[${(Array.isArray(handler.exec.command) ? handler.exec.command : []).join(' ')}]`;
  } else if (isPlainObject(handler.httpGet)) {
    kind = 'HTTP';
    what = String(handler.httpGet.path ?? '');
  } else if (isPlainObject(handler.sleep)) kind = 'Sleep';
  return `${kind} lifecycle hook (${what}) for Container "${t.containerName}" in Pod "${podDesc}" failed - error: ${outcome.message}`;
}

/** Upstream's format.Pod: name_namespace(uid). */
export function podDescription(name: string, namespace: string, uid: string): string {
  return `${name}_${namespace}(${uid})`;
}
