// The everyday kubectl verbs on a StatefulSet, its headless Service and a pod,
// under each kubectl version, against one shared server (a namespace per version).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { KUBECTL_VERSIONS_UNDER_TEST } from '../support/kubectl.js';
import { startServer, type TestServer } from '../support/server.js';
import { expectLine, expectMatch, expectOk } from '../support/expect.js';
import { headlessService, NGINX_CONTAINER, pod, statefulSet, writeManifest } from '../support/manifests.js';

let server: TestServer;
// The API server is the subject here: no controller may add pods of its own.
before(async () => { server = await startServer({ extraArgs: ['--disable', 'statefulset,scheduler,node'] }); });
after(async () => { await server?.dispose(); });

const FIRST_CONTAINERS = `      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        workingDir: /srv
        ports:
        - containerPort: 80
          name: web
        env:
        - name: A
          value: "1"
`;
const SECOND_CONTAINERS = `${NGINX_CONTAINER.replace('value: "1"', 'value: "2"')}      - name: sidecar
        image: busybox:1.37
        command: ["sleep", "3600"]
`;

function firstManifest(ns: string): string {
  return `${headlessService(ns)}---\n${statefulSet({ ns, containers: FIRST_CONTAINERS })}`.replace(
    /(kind: StatefulSet\nmetadata:\n  name: web\n  namespace: \S+\n)/, '$1  labels:\n    tier: web\n');
}
function secondManifest(ns: string): string {
  return `${headlessService(ns)}---\n${statefulSet({ ns, containers: SECOND_CONTAINERS })}`;
}

for (const version of KUBECTL_VERSIONS_UNDER_TEST) {
  const ns = `crud-${version.replace('.', '-')}`;
  const k = (args: string[], stdin?: string) => server.kubectl(['-n', ns, ...args], { version, stdin });
  const getJson = async (what: string[]) => JSON.parse(expectOk(await k(['get', ...what, '-o', 'json']), `get ${what.join(' ')} -o json`));

  describe(`kubectl ${version} crud`, () => {
    it('create namespace', async () => {
      const out = expectOk(await server.kubectl(['create', 'namespace', ns], { version }), 'create namespace');
      expectLine(out, `namespace/${ns} created`, 'create namespace');
    });

    it('apply creates the service and the statefulset', async () => {
      const file = writeManifest(server.workDir, `web-${ns}.yaml`, firstManifest(ns));
      const out = expectOk(await k(['apply', '-f', file]), 'apply (create)');
      expectLine(out, 'service/nginx created', 'apply (create)');
      expectLine(out, 'statefulset.apps/web created', 'apply (create)');
      const sts = await getJson(['sts', 'web']);
      assert.equal(sts.metadata.labels?.tier, 'web');
      assert.equal(sts.spec.template.spec.containers[0].workingDir, '/srv');
    });

    it('re-apply merges containers by name and drops removed fields', async () => {
      const file = writeManifest(server.workDir, `web2-${ns}.yaml`, secondManifest(ns));
      const out = expectOk(await k(['apply', '-f', file]), 'apply (update)');
      expectLine(out, 'service/nginx unchanged', 'apply (update)');
      expectLine(out, 'statefulset.apps/web configured', 'apply (update)');
      const sts = await getJson(['sts', 'web']);
      const containers = sts.spec.template.spec.containers as any[];
      assert.deepEqual(containers.map((c) => c.name), ['nginx', 'sidecar']);
      assert.deepEqual(containers[0].env, [{ name: 'A', value: '2' }]);
      assert.equal(containers[0].ports?.[0]?.containerPort, 80, 'ports kept by the merge');
      assert.equal(containers[0].workingDir, undefined, 'workingDir removed from the manifest must disappear');
      assert.equal(sts.metadata.labels?.tier, undefined, 'label removed from the manifest must disappear');
      assert.ok(sts.metadata.generation >= 2, `generation bumped, got ${sts.metadata.generation}`);
    });

    it('apply a pod for pod rows', async () => {
      const file = writeManifest(server.workDir, `pod-${ns}.yaml`, pod(ns, 'pod-a'));
      expectLine(expectOk(await k(['apply', '-f', file]), 'apply pod'), 'pod/pod-a created', 'apply pod');
    });

    it('get prints upstream Table columns', async () => {
      const sts = expectOk(await k(['get', 'sts']), 'get sts');
      expectMatch(sts, /^NAME\s+READY\s+AGE\s*$/m, 'get sts header');
      expectMatch(sts, /^web\s+0\/2\s+\d+[smhd]\S*\s*$/m, 'get sts row');
      const pods = expectOk(await k(['get', 'pods']), 'get pods');
      expectMatch(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$/m, 'get pods header');
      expectMatch(pods, /^pod-a\s+0\/1\s+Pending\s+0\s+\d+[smhd]\S*\s*$/m, 'get pods row');
      const svc = expectOk(await k(['get', 'svc']), 'get svc');
      expectMatch(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s*$/m, 'get svc header');
      expectMatch(svc, /^nginx\s+ClusterIP\s+None\s+<none>\s+80\/TCP\s+\d+[smhd]\S*\s*$/m, 'get svc row');
    });

    it('get -o yaml|json|name', async () => {
      const y = parseYaml(expectOk(await k(['get', 'sts', 'web', '-o', 'yaml']), 'get -o yaml'));
      assert.equal(y.kind, 'StatefulSet');
      assert.equal(y.apiVersion, 'apps/v1');
      assert.equal(y.metadata.name, 'web');
      assert.equal(y.metadata.namespace, ns);
      assert.match(String(y.metadata.resourceVersion), /^\d+$/);
      assert.match(String(y.metadata.uid), /^[0-9a-f-]{36}$/);
      const j = await getJson(['svc', 'nginx']);
      assert.equal(j.kind, 'Service');
      assert.equal(j.spec.clusterIP, 'None');
      const list = await getJson(['pods']);
      assert.equal(list.kind, 'List');
      assert.deepEqual(list.items.map((p: any) => p.metadata.name), ['pod-a']);
      const names = expectOk(await k(['get', 'sts,svc', '-o', 'name']), 'get -o name');
      expectLine(names, 'statefulset.apps/web', 'get -o name');
      expectLine(names, 'service/nginx', 'get -o name');
    });

    it('describe sts and svc', async () => {
      const sts = expectOk(await k(['describe', 'sts', 'web']), 'describe sts');
      expectMatch(sts, /^Name:\s+web$/m, 'describe sts');
      expectMatch(sts, new RegExp(`^Namespace:\\s+${ns}$`, 'm'), 'describe sts');
      expectMatch(sts, /^Replicas:\s+2 desired \| 0 total$/m, 'describe sts');
      expectMatch(sts, /^Update Strategy:\s+RollingUpdate$/m, 'describe sts (defaulted strategy)');
      expectMatch(sts, /^\s+nginx:$/m, 'describe sts containers');
      const svc = expectOk(await k(['describe', 'svc', 'nginx']), 'describe svc');
      expectMatch(svc, /^Name:\s+nginx$/m, 'describe svc');
      expectMatch(svc, /^Type:\s+ClusterIP$/m, 'describe svc');
      expectMatch(svc, /^IP:\s+None$/m, 'describe svc');
      expectMatch(svc, /^Port:\s+web\s+80\/TCP$/m, 'describe svc');
    });

    it('label and annotate', async () => {
      expectLine(expectOk(await k(['label', 'sts', 'web', 'tier=backend']), 'label'), 'statefulset.apps/web labeled', 'label');
      // kubectl 1.27 itself prints "annotate" (no d); the server is not involved in that word.
      expectMatch(expectOk(await k(['annotate', 'sts', 'web', 'note=hello']), 'annotate'), /^statefulset\.apps\/web annotated?$/m, 'annotate');
      const sts = await getJson(['sts', 'web']);
      assert.equal(sts.metadata.labels.tier, 'backend');
      assert.equal(sts.metadata.annotations.note, 'hello');
      expectLine(expectOk(await k(['label', 'sts', 'web', 'tier-']), 'unlabel'), 'statefulset.apps/web unlabeled', 'unlabel');
      assert.equal((await getJson(['sts', 'web'])).metadata.labels?.tier, undefined);
    });

    it('patch: strategic, merge, json, and a no-op', async () => {
      const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}';
      expectLine(expectOk(await k(['patch', 'sts', 'web', '-p', smp]), 'patch strategic'), 'statefulset.apps/web patched', 'patch strategic');
      let sts = await getJson(['sts', 'web']);
      assert.deepEqual(sts.spec.template.spec.containers.map((c: any) => [c.name, c.image]),
        [['nginx', 'registry.k8s.io/nginx-slim:0.8'], ['sidecar', 'busybox:1.36']]);
      const merge = '{"metadata":{"annotations":{"m":"1"}}}';
      expectLine(expectOk(await k(['patch', 'sts', 'web', '--type=merge', '-p', merge]), 'patch merge'), 'statefulset.apps/web patched', 'patch merge');
      // (labels is empty after the unlabel above, and an empty map is not stored, as upstream:
      // a JSON-patch add below it would have no parent.)
      const json = '[{"op":"add","path":"/metadata/annotations/j","value":"x"}]';
      expectLine(expectOk(await k(['patch', 'sts', 'web', '--type=json', '-p', json]), 'patch json'), 'statefulset.apps/web patched', 'patch json');
      sts = await getJson(['sts', 'web']);
      assert.equal(sts.metadata.annotations.m, '1');
      assert.equal(sts.metadata.annotations.j, 'x');
      const rv = sts.metadata.resourceVersion;
      expectLine(expectOk(await k(['patch', 'sts', 'web', '--type=merge', '-p', merge]), 'patch no-op'),
        'statefulset.apps/web patched (no change)', 'patch no-op');
      assert.equal((await getJson(['sts', 'web'])).metadata.resourceVersion, rv, 'a no-op patch must not write');
    });

    it('scale sets spec.replicas', async () => {
      expectLine(expectOk(await k(['scale', 'sts', 'web', '--replicas=3']), 'scale'), 'statefulset.apps/web scaled', 'scale');
      assert.equal((await getJson(['sts', 'web'])).spec.replicas, 3);
      expectMatch(expectOk(await k(['get', 'sts', 'web']), 'get sts'), /^web\s+0\/3\s/m, 'get sts after scale');
    });

    it('explain statefulset.spec.updateStrategy', async () => {
      const out = expectOk(await k(['explain', 'statefulset.spec.updateStrategy']), 'explain');
      expectMatch(out, /^KIND:\s+StatefulSet$/m, 'explain KIND');
      expectMatch(out, /DESCRIPTION:\n\s+\S+/, 'explain DESCRIPTION');
      expectMatch(out, /^FIELDS:$/m, 'explain FIELDS');
      expectMatch(out, /^\s+rollingUpdate\s+<\S+>/m, 'explain rollingUpdate');
      expectMatch(out, /^\s+type\s+<string>/m, 'explain type');
    });

    it('get all has pod, service and statefulset sections', async () => {
      const out = expectOk(await k(['get', 'all']), 'get all');
      expectMatch(out, /^pod\/pod-a\s+0\/1\s+Pending\s/m, 'get all pods');
      expectMatch(out, /^service\/nginx\s+ClusterIP\s+None\s/m, 'get all services');
      expectMatch(out, /^statefulset\.apps\/web\s+0\/3\s/m, 'get all statefulsets');
    });

    it('delete sts (background) and pod', async () => {
      const out = expectOk(await k(['delete', 'sts', 'web']), 'delete sts');
      expectMatch(out, /^statefulset\.apps "web" deleted/m, 'delete sts');
      const gone = await k(['get', 'sts', 'web']);
      assert.notEqual(gone.code, 0);
      expectLine(gone.stderr, 'Error from server (NotFound): statefulsets.apps "web" not found', 'get deleted sts');
      expectMatch(expectOk(await k(['delete', 'pod', 'pod-a']), 'delete pod'), /^pod "pod-a" deleted/m, 'delete pod');
      // A pod never bound to a node has nothing to wait for: it is gone at once.
      const podGone = await k(['get', 'pod', 'pod-a']);
      expectLine(podGone.stderr, 'Error from server (NotFound): pods "pod-a" not found', 'get deleted pod');
    });
  });
}
