import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planNextTick } from '../../../supervisor/schedule/schedule.ts';
import { Lifecycle } from '../../../supervisor/lifecycle.ts';
import { didYouMean } from '../../../supervisor/config/did-you-mean.ts';

test('planNextTick keeps slots on the monotonic grid and skips a missed one', () => {
  assert.equal(planNextTick(1000, 100, 1000), 100);
  assert.equal(planNextTick(1000, 100, 1030), 70);
  assert.equal(planNextTick(1000, 100, 1100), 100);
  assert.equal(planNextTick(1000, 100, 1350), 50, 'a busy loop skips missed slots rather than firing them in a burst');
});

test('lifecycle allows the story and throws on an illegal step', () => {
  const life = new Lifecycle();
  life.to('starting');
  life.to('running');
  assert.throws(() => life.to('starting'), /illegal supervisor transition running → starting/);
  life.to('stopping');
  life.to('stopped');
});

test('didYouMean suggests near keys only', () => {
  assert.equal(didYouMean('emergncyMb', ['warnMb', 'emergencyMb']), 'emergencyMb');
  assert.equal(didYouMean('foo', ['log', 'run']), undefined);
});
