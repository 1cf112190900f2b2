// Exact upstream error lines for NotFound, AlreadyExists, Conflict, Invalid
// and strict field validation, under each kubectl version.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KUBECTL_VERSIONS_UNDER_TEST } from '../support/kubectl.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectFail, expectLine, expectMatch, expectOk } from '../support/expect.js';
import { statefulSet, writeManifest } from '../support/manifests.js';

let server: TestServer;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

const BOGUS = '  bogus: 1\n';

for (const version of KUBECTL_VERSIONS_UNDER_TEST) {
  const ns = `err-${version.replace('.', '-')}`;
  const k = (args: string[]) => server.kubectl(['-n', ns, ...args], { version });

  describe(`kubectl ${version} errors`, () => {
    it('setup namespace', async () => {
      expectOk(await server.kubectl(['create', 'namespace', ns], { version }), 'create namespace');
    });

    it('unknown field: Strict fails, --validate=warn warns', async () => {
      const file = `bogus-${ns}.yaml`;
      writeManifest(server.workDir, file, statefulSet({ ns, name: 'strict', extra: BOGUS }));
      const err = expectFail(await k(['apply', '-f', file]), 'apply with unknown field');
      expectLine(err,
        `Error from server (BadRequest): error when creating "${file}": StatefulSet in version "v1" cannot be handled as a StatefulSet: strict decoding error: unknown field "spec.bogus"`,
        'strict apply');
      const warn = await k(['apply', '--validate=warn', '-f', file]);
      expectOk(warn, 'apply --validate=warn');
      expectLine(warn.stdout, 'statefulset.apps/strict created', 'apply --validate=warn');
      expectLine(warn.stderr, 'Warning: unknown field "spec.bogus"', 'apply --validate=warn');
      const live = JSON.parse(expectOk(await k(['get', 'sts', 'strict', '-o', 'json']), 'get strict'));
      assert.equal(live.spec.bogus, undefined, 'unknown fields are dropped, not stored');
    });

    it('NotFound', async () => {
      const err = expectFail(await k(['get', 'sts', 'x']), 'get missing');
      expectLine(err, 'Error from server (NotFound): statefulsets.apps "x" not found', 'get missing');
    });

    it('AlreadyExists on create -f twice', async () => {
      const file = `web-${ns}.yaml`;
      writeManifest(server.workDir, file, statefulSet({ ns }));
      expectLine(expectOk(await k(['create', '-f', file]), 'first create'), 'statefulset.apps/web created', 'first create');
      const err = expectFail(await k(['create', '-f', file]), 'second create');
      expectLine(err, `Error from server (AlreadyExists): error when creating "${file}": statefulsets.apps "web" already exists`, 'second create');
    });

    it('Conflict on replace with a stale resourceVersion', async () => {
      const live = JSON.parse(expectOk(await k(['get', 'sts', 'web', '-o', 'json']), 'get web'));
      const stale = structuredClone(live);
      expectOk(await k(['label', 'sts', 'web', 'bump=1']), 'label to bump the resourceVersion');
      stale.spec.replicas = 5;
      const file = `stale-${ns}.json`;
      writeManifest(server.workDir, file, JSON.stringify(stale));
      const err = expectFail(await k(['replace', '-f', file]), 'replace stale');
      expectLine(err,
        `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on statefulsets.apps "web": the object has been modified; please apply your changes to the latest version and try again`,
        'replace stale');
      const after = JSON.parse(expectOk(await k(['get', 'sts', 'web', '-o', 'json']), 'get web'));
      assert.equal(after.spec.replicas, 2, 'the stale replace must not be applied');
    });

    it('Invalid with field paths', async () => {
      const noSelector = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bad
spec:
  serviceName: nginx
  template:
    metadata:
      labels:
        app: bad
    spec:
      containers:
      - name: c
        image: busybox:1.37
`;
      writeManifest(server.workDir, `bad-${ns}.yaml`, noSelector);
      const err = expectFail(await k(['create', '-f', `bad-${ns}.yaml`]), 'create without selector');
      expectMatch(err, /^The StatefulSet "bad" is invalid: [\s\S]*spec\.selector: Required value/m, 'create without selector');
      const negative = statefulSet({ ns, name: 'neg', replicas: -1 });
      writeManifest(server.workDir, `neg-${ns}.yaml`, negative);
      const err2 = expectFail(await k(['create', '-f', `neg-${ns}.yaml`]), 'create with replicas -1');
      expectLine(err2, 'The StatefulSet "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0', 'replicas -1');
    });
  });
}
