import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { test } from 'node:test';
import { SendWindow } from '../../../sync-runner/sources/send-window.ts';

test('SendWindow: a third message waits until one of the first two was taken', async () => {
  const window = new SendWindow(2);
  await window.slot();
  await window.slot();
  let third = false;
  const waiting = window.slot().then(() => (third = true));
  await turn();
  assert.equal(third, false, 'two untaken messages: the sender waits');
  window.taken();
  await waiting;
  assert.equal(third, true);
  let fourth = false;
  void window.slot().then(() => (fourth = true));
  await turn();
  assert.equal(fourth, false, 'the freed slot was used by the third message');
});
