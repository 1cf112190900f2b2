// What every handler needs: the registry and a clock.

import type { Registry } from '../registry/registry.js';

export interface ApiContext {
  registry: Registry;
  now(): Date;
  /** How often a watch that allows bookmarks gets one (test-only override). */
  bookmarkIntervalMs?: number;
  /**
   * How to reach node agents' streaming servers (pods/log, exec, attach, portforward):
   * their bearer token, the CA that signed their certificates, and the non-loopback
   * addresses (this instance's bridge address) a Node may record. Unset: no agent runs.
   */
  nodeStreaming?: { token: string; ca: string; allowedAddresses: string[] };
}
