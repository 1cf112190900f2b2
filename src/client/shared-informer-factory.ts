// One informer per resource, shared by every controller of a process, so that N controllers
// watching pods cost one list+watch and one cache.

import type { ResourceInfo } from '../api/resources.js';
import { SharedInformer, type InformerOptions } from './informer.js';
import type { Informer, InformerFactory } from './informer-types.js';
import type { Client } from './types.js';

export class SharedInformerFactory implements InformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private started = false;
  private stopped = false;

  constructor(private readonly client: Client, private readonly opts: InformerOptions = {}) {}

  forResource(res: ResourceInfo): Informer {
    const key = `${res.group}/${res.version}/${res.plural}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer(this.client, res, this.opts);
      this.informers.set(key, inf);
      if (this.started && !this.stopped) inf.start();
    }
    return inf;
  }

  start(): void {
    if (this.stopped) return;
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves once every started informer has listed (stopped ones count as done). */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].filter((i) => i.isStarted()).map((i) => i.waitForSync()));
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}
