import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sinceOption } from '../../../supervisor/history-cli/args.ts';
import { rowEncoder } from '../../../supervisor/history-cli/export-format.ts';
import { MaxBuckets } from '../../../supervisor/history-cli/plot/buckets.ts';
import { mbTicks, timeTicks } from '../../../supervisor/history-cli/plot/scale.ts';
import { sparkline } from '../../../supervisor/history-cli/sparkline.ts';

test('sparkline keeps each bucket maximum, so a spike survives downsampling', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
  const flatWithSpike = [...Array(500).fill(10), 100, ...Array(499).fill(10)];
  const line = sparkline(flatWithSpike, 50);
  assert.equal([...line].length, 50);
  assert.equal([...line].filter((c) => c === '█').length, 1);
  assert.equal(sparkline([]), '');
});

test('MaxBuckets bounds the points, keeps maxima, and cuts the line only at long gaps', () => {
  const buckets = new MaxBuckets(0, 1000, 10, 150);
  for (let t = 0; t <= 400; t += 10) buckets.add(t, t === 250 ? 99 : 1);
  for (let t = 700; t <= 1000; t += 100) buckets.add(t, 2);
  buckets.add(2000, 5); // outside the window: ignored
  const segments = buckets.segments();
  assert.equal(segments.length, 2);
  assert.equal(segments[0]?.length, 5);
  assert.deepEqual(segments[0]?.[2], { atMs: 250, mb: 99 });
  assert.deepEqual(segments[1]?.map((p) => p.atMs), [700, 800, 900]); // 1000 shares the last column with 900
});

test('plot axes use round steps', () => {
  assert.deepEqual(mbTicks(540), { ticks: [0, 100, 200, 300, 400, 500, 600], top: 600 });
  const day = timeTicks(Date.UTC(2026, 0, 30), Date.UTC(2026, 0, 31));
  assert.equal(day.ticks.length, 9);
  assert.equal(day.label('2026-01-30 06:00:00'), '06:00');
});

test('--since understands ages, local dates and ISO times', () => {
  const now = Date.UTC(2026, 1, 1, 12);
  assert.equal(sinceOption({ since: '24h' }, now), now - 86_400_000);
  assert.equal(sinceOption({ since: '7d' }, now), now - 7 * 86_400_000);
  assert.equal(sinceOption({ since: '30m' }, now), now - 1_800_000);
  assert.equal(sinceOption({ since: '2026-01-31' }, now), new Date(2026, 0, 31).getTime());
  assert.equal(sinceOption({ since: '2026-01-31T10:00:00Z' }, now), Date.UTC(2026, 0, 31, 10));
  assert.equal(sinceOption({}, now), undefined);
  assert.throws(() => sinceOption({ since: '2026-13-45x' }, now), /--since expects/);
});

test('CSV fields with commas, quotes and newlines are quoted; JSON output is one valid array', () => {
  const csv = rowEncoder('csv', ['a', 'b', 'c']);
  assert.equal(csv.header, 'a,b,c\r\n');
  assert.equal(csv.row({ a: 'x,y', b: 'say "hi"', c: null }, 0), '"x,y","say ""hi""",\r\n');
  assert.equal(csv.row({ a: 'line\nbreak', b: 3, c: 1.5 }, 1), '"line\nbreak",3,1.5\r\n');
  const json = rowEncoder('json', ['a']);
  const text = json.header + json.row({ a: 1 }, 0) + json.row({ a: 2 }, 1) + json.footer;
  assert.deepEqual(JSON.parse(text), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(JSON.parse(json.header + json.footer), []);
});
