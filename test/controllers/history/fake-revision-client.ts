// A tiny in-memory Client for ControllerRevisions, recording every write, so history tests
// can assert exactly which calls a sync makes (as upstream's fake clientset does).

import { StatusError } from '../../../src/api/errors.js';
import { clone, type KObject } from '../../../src/api/object.js';
import { applyStrategicMergePatch } from '../../../src/api/patch/index.js';
import type { ResourceInfo } from '../../../src/api/resources.js';
import type { Client } from '../../../src/client/types.js';
import type { Lister } from '../../../src/client/informer-types.js';

export interface Call {
  verb: 'create' | 'update' | 'patch' | 'delete';
  name: string;
}

export class FakeRevisionClient {
  readonly objects = new Map<string, KObject>();
  readonly calls: Call[] = [];
  private rv = 100;
  private tick = 0;
  /** Fails the next N update calls with a 409 Conflict. */
  conflictsToInject = 0;

  constructor(initial: KObject[] = []) {
    for (const o of initial) this.objects.set(this.key(o.metadata.namespace, o.metadata.name!), clone(o));
  }

  private key(ns: string | undefined, name: string): string {
    return `${ns ?? ''}/${name}`;
  }

  private stamp(o: KObject): KObject {
    o.metadata.resourceVersion = String(++this.rv);
    return o;
  }

  list(namespace?: string): KObject[] {
    return [...this.objects.values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace).map((o) => clone(o));
  }

  writes(): Call[] {
    return [...this.calls];
  }

  lister(): Lister {
    return {
      get: (key) => this.objects.get(key.includes('/') ? key : `/${key}`),
      list: () => this.list(),
      listNamespace: (ns) => this.list(ns),
      byIndex: () => [],
    };
  }

  client(): Client {
    const notFound = (name: string) => new StatusError(404, 'NotFound', `controllerrevisions.apps "${name}" not found`);
    const self = this;
    const unsupported = (): never => {
      throw new Error('not supported by the fake');
    };
    return {
      async get(_res: ResourceInfo, ns, name) {
        const o = self.objects.get(self.key(ns, name));
        if (!o) throw notFound(name);
        return clone(o);
      },
      async list(_res, ns) {
        return { items: self.list(ns), resourceVersion: String(self.rv) };
      },
      watch: unsupported,
      async create(_res, ns, obj) {
        const name = obj.metadata.name!;
        self.calls.push({ verb: 'create', name });
        const k = self.key(ns, name);
        if (self.objects.has(k)) throw new StatusError(409, 'AlreadyExists', `controllerrevisions.apps "${name}" already exists`);
        // Distinct, increasing creation times, so ordering ties never depend on the clock.
        const created = clone({ ...obj, metadata: { ...obj.metadata, namespace: ns, uid: `uid-${name}`, creationTimestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, ++self.tick)).toISOString().replace('.000', '') } });
        self.objects.set(k, self.stamp(created));
        return clone(created);
      },
      async update(_res, ns, obj) {
        const name = obj.metadata.name!;
        self.calls.push({ verb: 'update', name });
        const k = self.key(ns, name);
        const old = self.objects.get(k);
        if (!old) throw notFound(name);
        if (self.conflictsToInject > 0) {
          self.conflictsToInject--;
          throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on controllerrevisions.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
          throw new StatusError(409, 'Conflict', 'the object has been modified');
        }
        const updated = self.stamp(clone(obj));
        self.objects.set(k, updated);
        return clone(updated);
      },
      updateStatus: unsupported,
      async patch(_res, ns, name, type, patch) {
        self.calls.push({ verb: 'patch', name });
        const k = self.key(ns, name);
        const old = self.objects.get(k);
        if (!old) throw notFound(name);
        if (type !== 'strategic') unsupported();
        const patched = self.stamp(applyStrategicMergePatch(clone(old), patch, 'ControllerRevision') as KObject);
        self.objects.set(k, patched);
        return clone(patched);
      },
      async delete(_res, ns, name) {
        self.calls.push({ verb: 'delete', name });
        if (!self.objects.delete(self.key(ns, name))) throw notFound(name);
        return undefined;
      },
      bind: unsupported,
      finalizeNamespace: unsupported,
    };
  }
}
