// Renders `history plot --out FILE.html` in real headless chromium and checks what a user would see.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { runHistoryCli } from '../../../supervisor/history-cli/main.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { seedLeakyDay } from '../../helpers/history-seed.ts';
import { launchBrowser } from '../../helpers/browser.ts';

/** Kept after the run so a person can look at it. */
export const SCREENSHOT_DIR = join(tmpdir(), 'sync-supervisor-artifacts');

let fx: HistoryFixture;
let browser: Browser | undefined;
let nowMs: number;

before(async () => {
  fx = await createHistoryFixture();
  nowMs = await seedLeakyDay(fx);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fx.cleanup();
});

async function plot(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await runHistoryCli([...args, '--db', fx.path], { stdout, stderr: new PassThrough(), env: { TZ: 'UTC' }, cwd: fx.dir, now: () => nowMs });
  return { code, stdout: Buffer.concat(chunks).toString() };
}

for (const [name, args] of [['history-plot-day', ['--since', '24h']], ['history-plot-run', ['--run', '200']]] as const) {
  test(`the HTML plot (${args.join(' ')}) shows data points, both threshold lines and markers in chromium`, async () => {
    const out = join(fx.dir, `${name}.html`);
    const { code } = await plot(['plot', ...args, '--out', out]);
    assert.equal(code, 0);
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1080, height: 620 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${out}`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    // A string, not a function: tsx's name-keeping helper (__name) doesn't exist inside the page.
    const facts = (await page.evaluate(`(() => {
      const box = (selector) => document.querySelector(selector)?.getBoundingClientRect();
      const points = (selector) => Number(document.querySelector(selector)?.getAttribute('data-points') ?? 0);
      return {
        runnerPoints: points('.series-runner'),
        supervisorPoints: points('.series-supervisor'),
        runnerPathLength: document.querySelector('.series-runner')?.getTotalLength() ?? 0,
        warn: document.querySelector('.threshold-warn')?.getAttribute('data-mb'),
        emergency: document.querySelector('.threshold-emergency')?.getAttribute('data-mb'),
        warnY: box('.threshold-warn line')?.y ?? -1,
        emergencyY: box('.threshold-emergency line')?.y ?? -1,
        kills: document.querySelectorAll('.marker-kill').length,
        restarts: document.querySelectorAll('.marker-restart').length,
      };
    })()`)) as { runnerPoints: number; supervisorPoints: number; runnerPathLength: number; warn: string; emergency: string; warnY: number; emergencyY: number; kills: number; restarts: number };
    assert.ok(facts.runnerPoints > 10, `runner points ${facts.runnerPoints}`);
    assert.ok(facts.runnerPathLength > 50, 'the runner line is drawn');
    assert.ok(facts.supervisorPoints >= 2, `supervisor points ${facts.supervisorPoints}`);
    assert.equal(facts.warn, '400');
    assert.equal(facts.emergency, '500');
    assert.ok(facts.emergencyY > 0 && facts.warnY > facts.emergencyY, 'the emergency line is drawn above the warn line');
    assert.ok(facts.kills >= 1, 'the kill is marked');
    if (name === 'history-plot-day') assert.ok(facts.restarts >= 1, 'the restart is marked');
    // Hovering a data point shows its value.
    const runnerBox = await page.locator('.series-runner').boundingBox();
    assert.ok(runnerBox);
    await page.mouse.move(runnerBox.x + runnerBox.width * 0.9, runnerBox.y + 2);
    await page.mouse.move(runnerBox.x + runnerBox.width * 0.9 + 1, runnerBox.y + 3);
    const tip = await page.locator('#tip').textContent();
    assert.match(tip ?? '', /MB at 20\d\d-/);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'no network requests');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// Five minutes of the leak demo (a run every 15 s, each killed at 200 MB and restarted once), plotted with no --since.
async function seedLeakDemo(demo: HistoryFixture, startMs: number): Promise<number> {
  await demo.db.transaction(async () => {
    await demo.insertAlert({ atMs: startMs - 200, level: 'info', kind: 'supervisor-start', message: 'supervisor started (pid 7)' });
    for (let i = 0; i < 20; i++) {
      const start = startMs + i * 15_000;
      const id = await demo.insertRun({ startedAtMs: start, durationMs: 2600, status: 'killed', reason: 'memory', peakMb: 205, signal: 'SIGTERM', sampleCount: 26 });
      if (i % 2 === 1) await demo.db.run('UPDATE runs SET attempt = 2 WHERE id = ?', [id]);
      for (let k = 0; k < 26; k++) await demo.insertSample({ atMs: start + k * 100, source: 'runner', mb: 50 + k * 6, runId: id });
    }
    for (let s = 0; s <= 300; s += 60) await demo.insertSample({ atMs: startMs + s * 1000, source: 'supervisor', mb: 70 });
  });
  return startMs + 20 * 15_000;
}

test('the default plot (no --since) of a 5-minute leak demo: the data spans the plot, labels inside the picture, restarts by kind', async () => {
  const demo = await createHistoryFixture();
  try {
    const end = await seedLeakDemo(demo, Date.UTC(2026, 1, 2, 9, 0));
    const out = join(demo.dir, 'leak-demo-default.html');
    const stdout = new PassThrough();
    const code = await runHistoryCli(['plot', '--out', out, '--db', demo.path], { stdout, stderr: new PassThrough(), env: { TZ: 'UTC' }, cwd: demo.dir, now: () => end + 3_600_000 });
    assert.equal(code, 0);
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1080, height: 620 } });
    await page.goto(`file://${out}`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'history-plot-leak-demo-default.png'), fullPage: true });
    const facts = (await page.evaluate(`(() => {
      const svg = document.querySelector('svg');
      const plotArea = document.querySelector('.threshold-warn line').getBBox();
      const runner = document.querySelector('.series-runner').getBBox();
      // On screen, so a rotated label counts where it is drawn; relative to the SVG's own box (its viewBox, scaled).
      const frame = svg.getBoundingClientRect();
      const view = { width: frame.width, height: frame.height };
      const texts = [...svg.querySelectorAll('text')].map((t) => { const b = t.getBoundingClientRect(); return { text: t.textContent, left: b.left - frame.left, right: b.right - frame.left, top: b.top - frame.top, bottom: b.bottom - frame.top }; });
      return { plotWidth: plotArea.width, runnerWidth: runner.width, view, texts,
        runnerRestarts: document.querySelectorAll('.marker-runner-restart').length, starts: document.querySelectorAll('.marker-supervisor-start').length,
        kills: document.querySelectorAll('.marker-kill').length };
    })()`)) as { plotWidth: number; runnerWidth: number; view: { width: number; height: number }; texts: Array<{ text: string; left: number; right: number; top: number; bottom: number }>; runnerRestarts: number; starts: number; kills: number };
    assert.ok(facts.runnerWidth >= 0.8 * facts.plotWidth, `the runner series spans ${facts.runnerWidth.toFixed(0)} of ${facts.plotWidth.toFixed(0)} px`);
    for (const t of facts.texts) {
      assert.ok(t.left >= 0 && t.right <= facts.view.width && t.top >= 0 && t.bottom <= facts.view.height, `"${t.text}" inside the viewBox: ${JSON.stringify(t)}`);
    }
    assert.ok(facts.texts.some((t) => t.text === 'emergency 500 MB' || /^emergency \d+ MB$/.test(t.text)), 'the emergency label is drawn');
    assert.equal(facts.runnerRestarts, 10, 'each attempt 2 is a runner restart');
    assert.equal(facts.starts, 1, 'the supervisor start is marked apart');
    assert.equal(facts.kills, 20);
    await page.close();
  } finally {
    await demo.cleanup();
  }
});
