import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsCidr, firstSubnet, formatCidr, formatIPv4, overlaps, parseCidr, parseIPv4 } from '../../../src/node/runtime/process/network/ipv4.js';

test('addresses round-trip and invalid ones are refused', () => {
  assert.equal(formatIPv4(parseIPv4('10.244.0.1')), '10.244.0.1');
  assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  for (const bad of ['10.0.0', '10.0.0.256', 'a.b.c.d', '10.0.0.1.2', '']) assert.throws(() => parseIPv4(bad));
});

test('CIDRs parse, refuse host bits and compare', () => {
  assert.equal(formatCidr(parseCidr('10.244.0.0/16')), '10.244.0.0/16');
  assert.equal(formatCidr(parseCidr('10.1.2.3')), '10.1.2.3/32');
  assert.throws(() => parseCidr('10.244.0.1/16'), /host bits/);
  assert.throws(() => parseCidr('10.0.0.0/33'));
  assert.throws(() => parseCidr('10.0.0.0/x'));
  const pod = parseCidr('10.244.0.0/16');
  assert.ok(overlaps(pod, parseCidr('10.244.7.0/24')));
  assert.ok(overlaps(parseCidr('10.0.0.0/8'), pod));
  assert.ok(!overlaps(pod, parseCidr('10.245.0.0/16')));
  assert.ok(containsCidr(pod, parseCidr('10.244.255.0/24')));
  assert.ok(!containsCidr(pod, parseCidr('10.0.0.0/8')));
  assert.equal(formatCidr(firstSubnet(pod, 24)), '10.244.0.0/24');
});
