// One real server per test file or `describe` block, with its lifecycle in node:test hooks.

import { after, before } from 'node:test';
import type { ApiClient } from './api-client.js';
import { startServer, type ServerOptions, type TestServer } from './server.js';

/**
 * A server for the tests of the current file or `describe` block: started in a `before`
 * hook, disposed (with its raw client) in an `after` hook, even when a test failed.
 */
export function serverForSuite(opts: ServerOptions = {}): { readonly server: TestServer; readonly api: ApiClient } {
  let server: TestServer | undefined;
  let api: ApiClient | undefined;
  before(async () => {
    server = await startServer(opts);
    api = server.api();
  });
  after(async () => {
    api?.close();
    await server?.dispose();
  });
  return {
    get server() {
      if (!server) throw new Error('the suite server is not started yet');
      return server;
    },
    get api() {
      if (!api) throw new Error('the suite server is not started yet');
      return api;
    },
  };
}
