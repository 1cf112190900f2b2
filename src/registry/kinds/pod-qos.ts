// A pod's QoS class (pkg/apis/core/helper/qos GetPodQOS), computed once at creation from the
// defaulted containers: Guaranteed when every container limits cpu and memory and requests
// equal limits, BestEffort when nothing is requested or limited, else Burstable.

import { isPlainObject, type JsonObject } from '../../api/object.js';
import { compareQuantities, parseQuantity, quantitySign, type Quantity } from '../../api/quantity.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

function add(a: Quantity | undefined, b: Quantity): Quantity {
  if (!a) return b;
  // Align scales before adding mantissas; both are exact decimals.
  const scale = Math.min(a.scale, b.scale);
  const up = (q: Quantity) => q.mantissa * 10n ** BigInt(q.scale - scale);
  return { mantissa: up(a) + up(b), scale, format: a.format };
}

/** Sums the positive cpu/memory amounts of one list into `into`; returns the names it saw. */
function accumulate(list: unknown, into: Map<string, Quantity>): Set<string> {
  const seen = new Set<string>();
  if (!isPlainObject(list)) return seen;
  for (const name of QOS_RESOURCES) {
    const raw = list[name];
    if (raw === undefined || raw === null) continue;
    const q = parseQuantity(String(raw));
    if (!q || quantitySign(q) <= 0) continue;
    seen.add(name);
    into.set(name, add(into.get(name), q));
  }
  return seen;
}

export function podQOSClass(pod: JsonObject): QOSClass {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = [spec.containers, spec.initContainers].flatMap((l) => (Array.isArray(l) ? l.filter(isPlainObject) : []));
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of containers) {
    const res = isPlainObject(c.resources) ? c.resources : {};
    accumulate(res.requests, requests);
    const limited = accumulate(res.limits, limits);
    if (!QOS_RESOURCES.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
