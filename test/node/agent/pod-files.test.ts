// /etc/hosts, /etc/resolv.conf and hostnames as the kubelet writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsFileContent } from '../../../src/node/agent/pod-files/hosts-file.js';
import { resolvConfContent } from '../../../src/node/agent/pod-files/resolv-conf.js';
import { podHostname } from '../../../src/node/agent/pod-files/pod-hostname.js';
import { nfsDirectory } from '../../../src/api/nfs-path.js';

const BOILERPLATE =
  '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('hosts file', () => {
  it('names the pod by its hostname', () => {
    assert.equal(hostsFileContent(['10.200.0.4'], 'nginx', ''), `${BOILERPLATE}10.200.0.4\tnginx\n`);
  });
  it('puts the FQDN first with a subdomain', () => {
    assert.equal(hostsFileContent(['10.1.0.7'], 'web-0', 'nginx.default.svc.cluster.local'), `${BOILERPLATE}10.1.0.7\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`);
  });
  it('appends hostAliases in their own block', () => {
    const out = hostsFileContent(['10.1.0.7'], 'p', '', [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }]);
    assert.equal(out, `${BOILERPLATE}10.1.0.7\tp\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`);
  });
});

describe('resolv.conf', () => {
  const pod = (spec: Record<string, unknown> = {}) => ({ metadata: { name: 'p', namespace: 'shop' }, spec });
  it('ClusterFirst: cluster search path, the cluster DNS, ndots:5', () => {
    assert.equal(resolvConfContent(pod(), '10.77.0.1', 'cluster.local'), 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.77.0.1\noptions ndots:5\n');
  });
  it('dnsConfig adds nameservers and searches and overrides options', () => {
    const out = resolvConfContent(pod({ dnsConfig: { nameservers: ['10.77.0.9'], searches: ['extra.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), '10.77.0.1', 'cluster.local');
    assert.equal(out, 'search shop.svc.cluster.local svc.cluster.local cluster.local extra.local\nnameserver 10.77.0.1\nnameserver 10.77.0.9\noptions ndots:2 edns0\n');
  });
  it('dnsPolicy None uses dnsConfig alone', () => {
    assert.equal(resolvConfContent(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.77.0.9'] } }), '10.77.0.1', 'cluster.local'), 'nameserver 10.77.0.9\n');
  });
});

describe('pod hostname', () => {
  it('is the pod name, or spec.hostname; the domain comes from the subdomain', () => {
    assert.deepEqual(podHostname({ metadata: { name: 'web-0', namespace: 'default' }, spec: {} }, 'cluster.local'), { hostname: 'web-0', domain: '', kernelHostname: 'web-0' });
    assert.deepEqual(podHostname({ metadata: { name: 'web-0', namespace: 'default' }, spec: { hostname: 'h', subdomain: 'nginx' } }, 'cluster.local'), { hostname: 'h', domain: 'nginx.default.svc.cluster.local', kernelHostname: 'h' });
  });
  it('setHostnameAsFQDN makes the kernel hostname the FQDN; too long is an error', () => {
    assert.equal(podHostname({ metadata: { name: 'web-0', namespace: 'default' }, spec: { subdomain: 'nginx', setHostnameAsFQDN: true } }, 'cluster.local').kernelHostname, 'web-0.nginx.default.svc.cluster.local');
    assert.throws(() => podHostname({ metadata: { name: 'a'.repeat(40), namespace: 'default' }, spec: { subdomain: 'nginx', setHostnameAsFQDN: true } }, 'cluster.local'), /too long/);
  });
  it('cuts long names to 63 characters without a trailing dash', () => {
    const name = `${'a'.repeat(62)}-bcd`;
    assert.equal(podHostname({ metadata: { name, namespace: 'd' }, spec: {} }, 'cluster.local').hostname, 'a'.repeat(62));
  });
});

describe('nfsDirectory', () => {
  it('maps (server, path) under DATA_DIR/nfs', () => {
    assert.equal(nfsDirectory('/data', 'nfs.example', '/exports/a/'), '/data/nfs/nfs.example/exports/a');
    assert.equal(nfsDirectory('/data', '10.0.0.5', '/'), '/data/nfs/10.0.0.5');
  });
  it('refuses .. and odd servers', () => {
    assert.throws(() => nfsDirectory('/data', 's', '/exports/../../etc'), /must not contain/);
    assert.throws(() => nfsDirectory('/data', '..', '/x'), /invalid server/);
    assert.throws(() => nfsDirectory('/data', 'a/b', '/x'), /invalid server/);
    assert.throws(() => nfsDirectory('/data', '', '/x'), /invalid server/);
  });
});
