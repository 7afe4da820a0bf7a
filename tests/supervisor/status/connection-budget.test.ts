import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseEvictions } from '../../../supervisor/status/connection-budget.ts';

const idle = (key: string) => ({ key, inFlight: 0 });
const busy = (key: string) => ({ key, inFlight: 1 });

test('under the cap nothing is dropped', () => {
  assert.deepEqual(chooseEvictions([idle('a'), idle('b'), idle('new')], 3, 'new'), []);
});

test('over the cap the longest-idle connections go, not the newcomer', () => {
  assert.deepEqual(chooseEvictions([idle('a'), idle('b'), idle('c'), idle('new')], 3, 'new'), ['a']);
  assert.deepEqual(chooseEvictions([idle('a'), idle('b'), idle('c'), idle('new')], 2, 'new'), ['a', 'b']);
});

test('a connection with a request in flight is never dropped; the next idle one is', () => {
  assert.deepEqual(chooseEvictions([busy('a'), busy('b'), idle('c'), idle('new')], 3, 'new'), ['c']);
});

test('when every other connection is busy, the newcomer is let in over the cap', () => {
  assert.deepEqual(chooseEvictions([busy('a'), busy('b'), busy('c'), idle('new')], 3, 'new'), []);
});
