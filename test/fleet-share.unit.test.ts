import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownerOf, preferredPlanes, slotOf } from '../src/fleet/fleet-share.js';

const planes = Array.from({ length: 3000 }, (_, i) => `plane-${i}`);

test('each plane goes to exactly one live replica, and every replica gets a fair share', () => {
  const instances = ['pod-a', 'pod-b', 'pod-c'];
  const shares = instances.map((instance) => preferredPlanes(planes, instances, instance));
  const all = shares.flat();
  assert.equal(all.length, planes.length);
  assert.equal(new Set(all).size, planes.length);
  for (const share of shares) {
    // 1,000 expected each; a hash that sent everything to one replica would fail here.
    assert.ok(share.length > 850 && share.length < 1150, `share of ${share.length}`);
  }
});

test('every replica computes the same split whatever order it lists the replicas in', () => {
  const a = preferredPlanes(planes, ['x', 'y', 'z'], 'y');
  const b = preferredPlanes(planes, ['z', 'y', 'x'], 'y');
  assert.deepEqual(a, b);
});

test('when a replica leaves, only the planes it held move', () => {
  const before = ['pod-a', 'pod-b', 'pod-c'];
  const after = ['pod-a', 'pod-c'];
  let moved = 0;
  for (const plane of planes) {
    const owner = ownerOf(plane, before);
    const next = ownerOf(plane, after);
    if (owner !== 'pod-b') assert.equal(next, owner, plane);
    else moved++;
  }
  assert.ok(moved > 0);
});

test('a replica that is not in the live list (its heartbeat not stored yet) checks every plane', () => {
  assert.deepEqual(preferredPlanes(['a', 'b'], ['other'], 'me'), ['a', 'b']);
  assert.deepEqual(preferredPlanes(['a', 'b'], [], 'me'), ['a', 'b']);
});

test('a tick a little early or late belongs to the same slot, named by its start', () => {
  const boundary = 60_000 * 29_000_000;
  assert.equal(slotOf(boundary - 300, 60_000), boundary);
  assert.equal(slotOf(boundary + 300, 60_000), boundary);
  assert.equal(slotOf(boundary + 60_000, 60_000), boundary + 60_000);
});

test('a replica that starts past the middle of an interval joins the slot under way, not the next', () => {
  const boundary = 60_000 * 29_000_000;
  assert.equal(slotOf(boundary + 45_000, 60_000), boundary);
});

test('slots order by time whatever the interval (a rolling update that changes it)', () => {
  const t = 60_000 * 29_000_000 + 30_000;
  // A replica on a 30 s interval claimed the slot starting at t; one on 60 s comes one of its intervals later.
  assert.ok(slotOf(t + 60_000, 60_000) > slotOf(t, 30_000));
  assert.ok(slotOf(t + 30_000, 30_000) > slotOf(t, 60_000));
});
