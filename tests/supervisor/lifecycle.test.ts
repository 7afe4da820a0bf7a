import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lifecycle } from '../../supervisor/lifecycle.ts';

test('the story runs idle → starting → running → stopping → stopped, and a step back throws', () => {
  const life = new Lifecycle();
  life.to('starting');
  life.to('running');
  assert.throws(() => life.to('starting'), /illegal supervisor transition running → starting/);
  life.to('stopping');
  life.to('stopped');
});

test('only a running supervisor may start its schedule or a tick', () => {
  const life = new Lifecycle();
  assert.equal(life.allows('tick'), false, 'idle');
  life.to('starting');
  assert.equal(life.allows('tick'), false, 'starting');
  life.started();
  assert.deepEqual([life.state, life.allows('schedule'), life.allows('tick')], ['running', true, true]);
  life.stopRequested();
  assert.deepEqual([life.state, life.allows('schedule'), life.allows('tick')], ['stopping', false, false]);
  life.to('stopped');
  assert.equal(life.allows('tick'), false, 'stopped');
});

test('a stop during start-up wins: start-up ends in stopping, never running', () => {
  const life = new Lifecycle();
  life.to('starting');
  life.stopRequested();
  life.started();
  assert.equal(life.state, 'stopping');
});

test('a stop before any start ends the story, and a later start throws', () => {
  const life = new Lifecycle();
  life.stopRequested();
  assert.equal(life.state, 'stopped');
  assert.throws(() => life.to('starting'), /illegal supervisor transition stopped → starting/);
});
