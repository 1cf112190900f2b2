// What every handler needs: the registry and a clock.

import type { Registry } from '../registry/registry.js';

export interface ApiContext {
  registry: Registry;
  now(): Date;
}
