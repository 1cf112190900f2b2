import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firewallScript } from '../../../src/node/runtime/process/network/nftables.js';
import { resolveRanges } from '../../../src/node/runtime/process/network/config.js';
import { hostVethName, instanceIdFor, isOurNetns, isOurVeth, namesFor, netnsNameFor } from '../../../src/node/runtime/process/network/names.js';

test('names derive from the data dir, fit interface limits and are recognised by prefix', () => {
  const id = instanceIdFor('/tmp/some/data-dir');
  assert.match(id, /^[0-9a-f]{6}$/);
  assert.equal(instanceIdFor('/tmp/some/data-dir/'), id, 'same dir, same id');
  assert.notEqual(instanceIdFor('/tmp/other'), id);
  const n = namesFor(id);
  assert.ok(n.bridge.length <= 15);
  const veth = hostVethName(n, 65534);
  assert.ok(veth.length <= 15);
  assert.ok(isOurVeth(n, veth));
  assert.ok(!isOurVeth(n, n.bridge));
  assert.ok(!isOurVeth(namesFor('aaaaaa'), hostVethName(namesFor('aaaaab'), 3)));
  const ns = netnsNameFor(n, '1f2e3d4c-aaaa-bbbb-cccc-000000000000');
  assert.equal(ns, `ordinal-${id}-1f2e3d4c`);
  assert.ok(isOurNetns(n, ns));
  assert.ok(!isOurNetns(n, `ordinal-${id}x-1f2e3d4c`));
  assert.throws(() => namesFor('xyz'));
});

test('ranges are validated before anything is touched', () => {
  const r = resolveRanges({ podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16', dataDir: '/x' });
  assert.equal(r.bridgeAddress, '10.244.0.1');
  assert.throws(() => resolveRanges({ podCIDR: '10.0.0.0/8', serviceCIDR: '10.96.0.0/16', dataDir: '/x' }), /overlap/);
  assert.throws(() => resolveRanges({ podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16', bridgeCIDR: '10.245.0.0/24', dataDir: '/x' }), /not inside/);
});

test('the firewall drops bridge-address packets from other interfaces and forwarding past our links', () => {
  const n = namesFor('abc123');
  const script = firewallScript(n, { bridgeAddress: '10.244.0.1', podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' });
  assert.match(script, /ip daddr 10\.244\.0\.1 iifname != \{ "ordabc123", "lo" \} drop/);
  assert.match(script, /hook forward/);
  assert.doesNotMatch(script, /nat|masquerade/);
});
