import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.ts';
import { startWithStatus } from '../../helpers/status-server.ts';

const SCREENSHOT = fileURLToPath(new URL('../../../bench/results/dashboard.png', import.meta.url));
const TOKEN = 'browser-test-token-0123456789';

test('the dashboard draws live charts in headless chromium and shows a memory kill in the runs table', { timeout: 60_000 }, async () => {
  // A runner leaking 100 MB/s against a 150 MB emergency line, restarted within each tick and ticked every 3 s.
  const h = await startWithStatus('leak.mjs', ['100'], {
    schedule: { everyMs: 3000 },
    memory: { warnMb: 100, emergencyMb: 150, graceMs: 500, selfSampleIntervalMs: 250 },
    restart: { maxAttempts: 2, backoffMs: 200 },
    status: { tokenEnv: 'SYNC_STATUS_TOKEN' },
  }, { env: { SYNC_STATUS_TOKEN: TOKEN } });
  h.supervisor.startSchedule();

  const browser: Browser = await launchBrowser();
  after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

  const response = await page.goto(`${h.base}/?token=${TOKEN}`);
  assert.equal(response?.status(), 200);
  await page.waitForFunction(() => document.getElementById('connection')?.classList.contains('live'), undefined, { timeout: 15_000 });

  // The chart moves: its newest point gets newer between two reads.
  const lastAt = (): Promise<number> => page.$eval('#runner-chart', (svg) => Number(svg.getAttribute('data-last-at')));
  await page.waitForFunction(() => Number(document.getElementById('runner-chart')?.getAttribute('data-points')) > 3, undefined, { timeout: 15_000 });
  const first = await lastAt();
  await page.waitForFunction((before) => Number(document.getElementById('runner-chart')?.getAttribute('data-last-at')) > before, first, { timeout: 15_000 });
  assert.ok((await lastAt()) > first);
  assert.ok(await page.$eval('#supervisor-chart', (svg) => Number(svg.getAttribute('data-points')) >= 2));
  assert.ok(await page.$$eval('#runner-chart polyline', (lines) => lines.length >= 1));

  // The kill shows up in the table with its reason.
  await page.waitForSelector('#runs tr[data-status="killed"][data-reason="memory"]', { timeout: 20_000 });
  const row = await page.$eval('#runs tr[data-status="killed"][data-reason="memory"]', (tr) => [...tr.children].map((td) => td.textContent));
  assert.equal(row[4], 'killed');
  assert.equal(row[5], 'memory');
  assert.match(row[6] ?? '', /^\d+\.\d MB$/);
  // Let the next run draw a few points, so the screenshot shows a saw-tooth rather than one tooth.
  await page.waitForFunction(() => document.querySelectorAll('#runs tr[data-status="killed"]').length >= 2, undefined, { timeout: 20_000 });

  await mkdir(fileURLToPath(new URL('.', `file://${SCREENSHOT}`)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(problems, []);
  await h.stop();
});
