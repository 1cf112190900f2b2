// What every handler needs: the registry and a clock.

import type { Registry } from '../registry/registry.js';

export interface ApiContext {
  registry: Registry;
  now(): Date;
  /** How often a watch that allows bookmarks gets one (test-only override). */
  bookmarkIntervalMs?: number;
}
