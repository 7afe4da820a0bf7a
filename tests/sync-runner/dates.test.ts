import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseDate, normaliseTime } from '../../sync-runner/dates.ts';

test('normaliseDate reads the forms REDCap emits, and refuses to guess', () => {
  const cases: [string, string | undefined][] = [
    ['2030-02-07', '2030-02-07'],
    ['2030-2-7', '2030-02-07'],
    ['2030/02/07', '2030-02-07'],
    ['20300207', '2030-02-07'],
    ['2030-02-07 09:30', '2030-02-07'],
    ['2030-02-07T09:30:00', '2030-02-07'],
    ['02/07/2030', '2030-02-07'],
    ['07.02.2030', '2030-02-07'],
    ['25-12-2030', '2030-12-25'],
    ['12-25-2030', '2030-12-25'],
    ['03-04-2030', undefined],
    ['2030-02-30', undefined],
    ['2030-13-01', undefined],
    ['soon', undefined],
    ['', undefined],
    [' 2030-02-07 ', '2030-02-07'],
  ];
  for (const [input, expected] of cases) assert.equal(normaliseDate(input), expected, JSON.stringify(input));
});

test('normaliseTime gives HH:MM', () => {
  const cases: [string, string | undefined][] = [
    ['09:30', '09:30'],
    ['9:30', '09:30'],
    ['09:30:00', '09:30'],
    ['09:30:59.5', '09:30'],
    ['0930', '09:30'],
    ['093000', '09:30'],
    ['9:30 pm', '21:30'],
    ['12:05 AM', '00:05'],
    ['12:05 PM', '12:05'],
    ['2030-02-07 14:45', '14:45'],
    ['24:00', undefined],
    ['13:00 pm', undefined],
    ['09:60', undefined],
    ['NaN', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(normaliseTime(input), expected, JSON.stringify(input));
});
