// Renders `history plot --out FILE.html` in real headless chromium and checks what a user would see.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { runHistoryCli } from '../../../supervisor/history-cli/main.ts';
import { createHistoryFixture, type HistoryFixture } from '../../fixtures/history-db.ts';
import { seedLeakyDay } from '../../fixtures/history-seed.ts';
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
