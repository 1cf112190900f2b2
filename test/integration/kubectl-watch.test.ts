// `kubectl get -w --output-watch-events` sees ADDED, MODIFIED and DELETED.
import { after, before, describe, it } from 'node:test';
import { KUBECTL_VERSIONS_UNDER_TEST } from '../support/kubectl.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectOk } from '../support/expect.js';
import { waitFor } from '../support/wait.js';

let server: TestServer;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

for (const version of KUBECTL_VERSIONS_UNDER_TEST) {
  const ns = `watch-${version.replace('.', '-')}`;
  const k = (args: string[]) => server.kubectl(['-n', ns, ...args], { version });

  describe(`kubectl ${version} get -w`, () => {
    it('prints ADDED, MODIFIED and DELETED lines for a ConfigMap', async () => {
      expectOk(await server.kubectl(['create', 'namespace', ns], { version }), 'create namespace');
      expectOk(await k(['create', 'configmap', 'pre', '--from-literal=a=1']), 'create cm pre');
      const watcher = server.kubectlBackground(['-n', ns, 'get', 'configmaps', '-w', '--output-watch-events'], { version });
      try {
        const seen = (re: RegExp, what: string) => waitFor(() => re.test(watcher.stdout()), {
          timeoutMs: 15_000, what: `${what}; watcher stdout so far:\n${watcher.stdout()}\nstderr:\n${watcher.stderr()}`,
        });
        await seen(/^EVENT\s+NAME\s+DATA\s+AGE\s*$/m, 'the header');
        await seen(/^ADDED\s+pre\s+1\s/m, 'the initial ADDED row for pre');
        expectOk(await k(['create', 'configmap', 'w1', '--from-literal=a=1']), 'create cm w1');
        await seen(/^ADDED\s+w1\s+1\s/m, 'ADDED w1');
        expectOk(await k(['patch', 'configmap', 'w1', '--type=merge', '-p', '{"data":{"b":"2"}}']), 'patch cm w1');
        await seen(/^MODIFIED\s+w1\s+2\s/m, 'MODIFIED w1 with 2 data keys');
        expectOk(await k(['delete', 'configmap', 'w1']), 'delete cm w1');
        await seen(/^DELETED\s+w1\s+2\s/m, 'DELETED w1');
      } finally {
        await watcher.stop();
      }
    });
  });
}
