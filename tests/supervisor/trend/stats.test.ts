import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateTrendAlerts, initialTrendAlertState, type TrendAlertEvent, type TrendAlertOptions, type TrendAlertState } from '../../../supervisor/trend/alerts.ts';
import { computeTrend } from '../../../supervisor/trend/stats.ts';
import type { TrendPoint } from '../../../supervisor/vocabulary/trend-stats.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const config = { minPoints: 10, minSpanMs: 10 * MIN, warnMbPerHour: 10, criticalMb: 500 };

// A deterministic "random" so noisy series are the same on every run.
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648 - 0.5;
  };
}

function series(count: number, stepMs: number, mbAt: (i: number, atMs: number) => number): TrendPoint[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: T0 + i * stepMs, mb: mbAt(i, T0 + i * stepMs) }));
}

// Feeds growing windows of `points` through the state machine, as the monitor does one measurement at a time.
function replay(points: readonly TrendPoint[], window = 100, options: TrendAlertOptions = config): TrendAlertEvent[] {
  let state: TrendAlertState = initialTrendAlertState;
  const events: TrendAlertEvent[] = [];
  for (let end = 1; end <= points.length; end++) {
    const stats = computeTrend(points.slice(Math.max(0, end - window), end), { emergencyMb: 500 });
    assert.ok(stats);
    const next = evaluateTrendAlerts(state, stats, { ...options, label: 'runner peak RSS' });
    state = next.state;
    events.push(...next.events);
  }
  return events;
}

test('an exact linear series gives the exact slope, even with irregular intervals', () => {
  const offsets = [0, 1, 2.5, 7, 8, 13, 21, 22, 30, 41]; // minutes
  const points = offsets.map((m) => ({ atMs: T0 + m * MIN, mb: 100 + 12 * (m / 60) }));
  const stats = computeTrend(points, { emergencyMb: 500 });
  assert.ok(stats);
  assert.ok(Math.abs(stats.growthMbPerHour - 12) < 1e-9, `slope ${stats.growthMbPerHour}`);
  assert.equal(stats.points, 10);
  assert.equal(stats.spanMs, 41 * MIN);
  assert.equal(stats.currentMb, 100 + 12 * (41 / 60));
  assert.equal(stats.minMb, 100);
  assert.ok(Math.abs((stats.hoursToEmergency ?? 0) - (500 - stats.currentMb) / 12) < 1e-9);
});

test('order of input points does not matter, and an empty window has no stats', () => {
  const points = series(20, MIN, (i) => 50 + i);
  const shuffled = [...points].reverse();
  assert.deepEqual(computeTrend(shuffled, { emergencyMb: 500 }), computeTrend(points, { emergencyMb: 500 }));
  assert.equal(computeTrend([], { emergencyMb: 500 }), undefined);
});

test('a shrinking or flat series is not projected to reach the emergency line', () => {
  const falling = computeTrend(series(10, MIN, (i) => 300 - i), { emergencyMb: 500 });
  assert.equal(falling?.hoursToEmergency, null);
  const above = computeTrend(series(10, MIN, () => 600), { emergencyMb: 500 });
  assert.equal(above?.hoursToEmergency, 0);
});

test('noise plus a leak still raises the growth warning exactly once (20 noise seeds)', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rand = noise(seed);
    // 15 MB/h leak under ±20 MB of noise, one point every 5 minutes for 25 hours; criticalMb is out of reach.
    const points = series(300, 5 * MIN, (i) => 150 + 15 * ((i * 5) / 60) + 40 * rand());
    const events = replay(points, 100, { ...config, criticalMb: 10_000 });
    assert.deepEqual(events.map((e) => `${e.level}/${e.kind}/${e.phase}`), ['warning/growth/raised'], `seed ${seed}`);
    assert.ok((events[0]?.value ?? 0) > 10);
    assert.match(events[0]?.message ?? '', /runner peak RSS growing \d+\.\d\d MB\/h, above the 10 MB\/h warning/);
  }
});

test('a flat noisy series raises nothing (20 noise seeds)', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rand = noise(seed);
    assert.deepEqual(replay(series(300, 5 * MIN, () => 200 + 40 * rand())), [], `seed ${seed}`);
  }
});

test('no growth alert before minPoints and minSpanMs, however steep', () => {
  const steep = series(9, 5 * MIN, (i) => 100 + 50 * i); // 600 MB/h, 9 points
  assert.deepEqual(replay(steep).filter((e) => e.kind === 'growth'), []);
  const fastSamples = series(50, 1000, (i) => 100 + i); // 50 points within a minute
  assert.deepEqual(replay(fastSamples), []);
});

test('hysteresis: growth hovering at the threshold gives exactly one alert and one recovery', () => {
  // Slope steps 0 → 11 → alternating 9.5/10.5 (inside the recovery margin) → 0, with a 20-point window.
  const slopes = [...Array(30).fill(0), ...Array(40).fill(11), ...Array.from({ length: 60 }, (_, i) => (i % 2 ? 9.5 : 10.5)), ...Array(60).fill(0)];
  let mb = 100;
  const points = slopes.map((slope, i) => {
    mb += slope * (5 / 60);
    return { atMs: T0 + i * 5 * MIN, mb };
  });
  const events = replay(points, 20);
  assert.deepEqual(events.map((e) => `${e.level}/${e.kind}/${e.phase}`), ['warning/growth/raised', 'info/growth/recovered']);
});

test('hysteresis: an absolute value flapping around the critical line alerts once and recovers once', () => {
  const values = [300, 490, 505, 499, 501, 498, 502, 497, 510, 460, 470, 480];
  let state: TrendAlertState = initialTrendAlertState;
  const events: TrendAlertEvent[] = [];
  values.forEach((mb, i) => {
    const stats = computeTrend([{ atMs: T0 + i * MIN, mb }], { emergencyMb: 500 });
    assert.ok(stats);
    const next = evaluateTrendAlerts(state, stats, config);
    state = next.state;
    events.push(...next.events);
  });
  assert.deepEqual(events.map((e) => `${e.level}/${e.kind}/${e.phase}/${e.value}`), ['critical/absolute/raised/505', 'info/absolute/recovered/460']);
});

test('evaluateTrendAlerts does not mutate the previous state', () => {
  const previous: TrendAlertState = { growth: false, absolute: false };
  const stats = computeTrend([{ atMs: T0, mb: 900 }], { emergencyMb: 500 });
  assert.ok(stats);
  const { state } = evaluateTrendAlerts(previous, stats, config);
  assert.deepEqual(previous, { growth: false, absolute: false });
  assert.deepEqual(state, { growth: false, absolute: true });
});
