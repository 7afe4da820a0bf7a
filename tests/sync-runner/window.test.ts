import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeWindow, isInsideWindow, type OperationWindow } from '../../sync-runner/window.ts';

const at = (h: number, m: number, s = 0) => new Date(2030, 0, 15, h, m, s);
const win = (start: [number, number], end: [number, number]): OperationWindow => ({ start, end });

test('isInsideWindow: daytime, midnight-crossing and all-day windows', () => {
  const cases: [OperationWindow, Date, boolean][] = [
    [win([8, 0], [18, 0]), at(7, 59), false],
    [win([8, 0], [18, 0]), at(8, 0), true],
    [win([8, 0], [18, 0]), at(18, 0, 59), true],
    [win([8, 0], [18, 0]), at(18, 1), false],
    [win([0, 0], [23, 59]), at(23, 59, 30), true],
    [win([22, 0], [2, 0]), at(23, 30), true],
    [win([22, 0], [2, 0]), at(0, 15), true],
    [win([22, 0], [2, 0]), at(2, 0), true],
    [win([22, 0], [2, 0]), at(2, 1), false],
    [win([22, 0], [2, 0]), at(12, 0), false],
    [win([22, 0], [2, 0]), at(21, 59), false],
    [win([6, 30], [6, 30]), at(13, 0), true],
  ];
  for (const [window, now, expected] of cases) {
    assert.equal(isInsideWindow(window, now), expected, `${describeWindow(window)} at ${now.toTimeString().slice(0, 8)}`);
  }
});

test('describeWindow pads hours and minutes', () => {
  assert.equal(describeWindow(win([22, 0], [2, 5])), '22:00–02:05');
});
