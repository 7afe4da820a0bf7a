import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean } from '../../../supervisor/config/did-you-mean.ts';

test('didYouMean suggests near keys only', () => {
  assert.equal(didYouMean('emergncyMb', ['warnMb', 'emergencyMb']), 'emergencyMb');
  assert.equal(didYouMean('foo', ['log', 'run']), undefined);
});
