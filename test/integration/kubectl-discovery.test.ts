// kubectl version and api-resources against the real server, per kubectl version.
import { after, before, describe, it } from 'node:test';
import { KUBECTL_VERSIONS_UNDER_TEST } from '../support/kubectl.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectMatch, expectOk } from '../support/expect.js';

let server: TestServer;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

for (const version of KUBECTL_VERSIONS_UNDER_TEST) {
  describe(`kubectl ${version} discovery`, () => {
    it('version reports a 1.33 server', async () => {
      const out = expectOk(await server.kubectl(['version'], { version }), 'kubectl version');
      // kubectl 1.27 still prints the long version.Info form by default.
      expectMatch(out, /^Server Version: (v1\.33\.\d+\S*$|version\.Info\{.*GitVersion:"v1\.33\.\d+[^"]*")/m, 'kubectl version');
    });

    it('api-resources lists statefulsets with short name and kind', async () => {
      const out = expectOk(await server.kubectl(['api-resources'], { version }), 'kubectl api-resources');
      expectMatch(out, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s*$/m, 'api-resources header');
      expectMatch(out, /^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet\s*$/m, 'api-resources statefulsets');
      expectMatch(out, /^pods\s+po\s+v1\s+true\s+Pod\s*$/m, 'api-resources pods');
      expectMatch(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$/m, 'api-resources namespaces');
    });
  });
}
