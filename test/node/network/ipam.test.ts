import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressAt, allocate, emptyIpam, release } from '../../../src/node/runtime/process/network/ipam.js';
import { parseCidr } from '../../../src/node/runtime/process/network/ipv4.js';

const range = parseCidr('10.50.0.0/29'); // .0 network, .1 bridge, .7 broadcast: .2-.6 for pods

test('allocations skip the network, bridge and broadcast addresses and run out cleanly', () => {
  let state = emptyIpam();
  const got: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = allocate(state, range, `pod-${i}`);
    state = r.state;
    got.push(addressAt(range, r.offset));
  }
  assert.deepEqual(got, ['10.50.0.2', '10.50.0.3', '10.50.0.4', '10.50.0.5', '10.50.0.6']);
  assert.throws(() => allocate(state, range, 'pod-5'), /no free pod IP/);
});

test('a pod keeps its address, a released one is not reused at once, and requested ones are checked', () => {
  let state = allocate(emptyIpam(), range, 'a').state;
  state = allocate(state, range, 'b').state;
  assert.equal(allocate(state, range, 'a').offset, 2, 'same pod, same address');
  state = release(state, 'a');
  const c = allocate(state, range, 'c');
  assert.equal(addressAt(range, c.offset), '10.50.0.4', 'round-robin moves past the released .2');
  assert.throws(() => allocate(c.state, range, 'd', '10.50.0.3'), /already in use/);
  assert.throws(() => allocate(c.state, range, 'd', '10.50.0.1'), /reserved/);
  assert.throws(() => allocate(c.state, range, 'd', '10.50.0.7'), /reserved/);
  assert.throws(() => allocate(c.state, range, 'd', '10.51.0.2'), /outside/);
  assert.equal(allocate(c.state, range, 'd', '10.50.0.2').offset, 2);
});
