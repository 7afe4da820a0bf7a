// /metrics and /memory-status count and list the worklist status changes history holds, from a fixture runner.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MemoryStatus } from '../../../supervisor/status/memory-status.ts';
import { launchBrowser } from '../../helpers/browser.ts';
import { parsePromText, sampleValue } from '../../helpers/prom-text.ts';
import { getJson, http, startWithStatus } from '../../helpers/status-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const AT = Date.UTC(2026, 0, 30, 9, 0);

/** Seven changes: the fixture cycles the reasons, so record-deleted and instance-deleted come twice, the rest once. */
const SEVEN = { record: 2, instance: 2, date: 1, expired: 1, restored: 1 };
const EIGHT = { ...SEVEN, date: 2 };

async function changeCounts(base: string): Promise<Record<string, number | undefined>> {
  const prom = parsePromText((await http(`${base}/metrics`)).body);
  const name = 'sync_supervisor_worklist_status_changes_total';
  assert.equal(prom.types.get(name), 'counter');
  const of = (reason: string): number | undefined => sampleValue(prom, name, { reason });
  return { record: of('record-deleted'), instance: of('instance-deleted'), date: of('date-cleared'), expired: of('expired'), restored: of('restored') };
}

test('/metrics counts the changes by reason once each (a re-send adds nothing), and a restarted supervisor starts from what history holds', async () => {
  const dir = await tempDir();
  const scenario = join(dir, 'scenario.json');
  const dataDir = join(dir, 'data');
  await writeFile(scenario, JSON.stringify({ journals: { j1: { commit: 7 } }, batch: 3, atMs: AT }));
  const first = await startWithStatus('worklist-journal-runner.mjs', [scenario], { dataDir, restart: { maxAttempts: 1 } });
  assert.deepEqual(await changeCounts(first.base), { record: 0, instance: 0, date: 0, expired: 0, restored: 0 }, 'each series exists from the start');
  assert.equal((await first.supervisor.triggerTick()).status, 'ok');
  assert.deepEqual(await changeCounts(first.base), SEVEN);
  // Run 2 commits one more (seq 8: date-cleared) and re-sends all eight: only the new one is counted.
  await writeFile(scenario, JSON.stringify({ journals: { j1: { commit: 1 } }, resendAll: true, atMs: AT }));
  assert.equal((await first.supervisor.triggerTick()).status, 'ok');
  assert.deepEqual(await changeCounts(first.base), EIGHT, 'a re-sent change is not counted again');

  await first.stop();

  const second = await startWithStatus('worklist-journal-runner.mjs', [scenario], { dataDir, restart: { maxAttempts: 1 } });
  assert.deepEqual(await changeCounts(second.base), EIGHT, 'seeded from history.db at start');
  // Read from this supervisor, whose cached history part (1 s) was first read after every change landed.
  const { json } = await getJson<MemoryStatus>(`${second.base}/memory-status`);
  assert.deepEqual(json.worklist.changesByReason, { 'record-deleted': 2, 'instance-deleted': 2, 'date-cleared': 2, expired: 1, restored: 1 });
  assert.deepEqual(json.worklist.recentChanges.map((c) => c.rowId), [108, 107, 106, 105, 104, 103, 102, 101], 'newest first');
  assert.deepEqual(json.worklist.recentChanges[3], {
    atMs: AT + 5 * 60_000, rowId: 105, patientId: 'sub-0005_A', fromStatus: 'CANCELED', toStatus: 'SCHEDULED', reason: 'restored',
    source: 'mri_main', record: 'rec-5', instance: null, runId: 1,
  });
  await second.stop();
});

test('the dashboard shows the newest worklist changes, and says so when there are none', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const scenario = join(dir, 'scenario.json');
  await writeFile(scenario, JSON.stringify({}));
  const h = await startWithStatus('worklist-journal-runner.mjs', [scenario], { restart: { maxAttempts: 1 } });
  const browser: Browser = await launchBrowser();
  after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  await page.goto(`${h.base}/`);
  await page.waitForSelector('#worklist-changes tr.empty', { timeout: 15_000 });
  assert.equal(await page.$eval('#worklist-changes tr.empty', (tr) => tr.textContent), 'no worklist status changes recorded');

  // 25 changes: the page lists the newest 20, newest first.
  await writeFile(scenario, JSON.stringify({ journals: { j1: { commit: 25 } }, atMs: AT }));
  assert.equal((await h.supervisor.triggerTick()).status, 'ok');
  await page.waitForSelector('#worklist-changes tr[data-row="125"]', { timeout: 15_000 });
  const rows = await page.$$eval('#worklist-changes tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 20);
  assert.deepEqual(rows.map((r) => r[1]), Array.from({ length: 20 }, (_, i) => String(125 - i)));
  // Row 124: seq 24, reason expired (the fixture cycles five reasons), instance 24 % 3 + 1 = 1.
  assert.deepEqual(rows[1]?.slice(1), ['124', 'sub-0024_A', 'SCHEDULED → CANCELED', 'expired', 'rec-24 / 1', 'mri_main', '1']);
  assert.deepEqual(problems, []);
  await h.stop();
});
