import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../../supervisor/memory/decide.ts';
import { BYTES_PER_MB as MB } from '../../../shared/units.ts';

const limits = { warnMb: 400, emergencyMb: 500, hardLimitMb: 750, sustainMs: 0 };

test('decide: each line is inclusive and the hard limit wins', () => {
  const cases: Array<[number, string, number | null]> = [
    [0, 'ok', null], [399.9, 'ok', null], [400, 'warn', 400], [499.9, 'warn', 400], [500, 'terminate', 500], [750, 'terminate', 500], [750.1, 'kill', 750],
  ];
  for (const [mb, verdict, limitMb] of cases) {
    const decision = decide(mb * MB, limits, null, 1000);
    assert.deepEqual([decision.verdict, decision.limitMb], [verdict, limitMb], `${mb} MB`);
    assert.equal(decision.overSinceMs, mb >= 500 ? 1000 : null, `${mb} MB: a crossing starts at the sample`);
  }
});
