// One streaming server over a FakeRuntime, with its own certificates and token.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureServingCerts } from '../../../src/apiserver/tls.js';
import { startStreamingServer } from '../../../src/node/streaming/server.js';
import type { StreamingServer } from '../../../src/node/streaming/types.js';
import { makeTempDir, removeTempDir } from '../../support/temp.js';
import { FakeRuntime } from './fake-runtime.js';
import type { Endpoint } from './upgrade-client.js';

export interface NodeFixture extends Endpoint {
  runtime: FakeRuntime;
  server: StreamingServer;
  dir: string;
  close(): Promise<void>;
}

export async function startNodeFixture(): Promise<NodeFixture> {
  const dir = makeTempDir('ordinal-streaming-');
  const certs = await ensureServingCerts(join(dir, 'pki-data'), { hosts: ['127.0.0.1'] });
  const runtime = new FakeRuntime(join(dir, 'logs'));
  const token = randomBytes(16).toString('hex');
  const server = await startStreamingServer({ token, cert: certs.certPem, key: certs.keyPem, runtime, resolve: runtime.resolve, logPollMs: 50 });
  return {
    port: server.port,
    ca: certs.caPem,
    token,
    runtime,
    server,
    dir,
    async close() {
      await server.close();
      removeTempDir(dir);
    },
  };
}
