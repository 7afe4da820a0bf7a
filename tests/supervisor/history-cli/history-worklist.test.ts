// `history worklist` and the worklist lines of `history run N`, over a history the real supervisor wrote from a
// fixture runner's worklist-changes messages; and an older file without the table.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import { Database } from '../../../shared/sqlite.ts';
import { HISTORY_APPLICATION_ID, MIGRATIONS } from '../../../supervisor/history/schema.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { runCli } from '../../helpers/history-cli-harness.ts';
import { capturedLogger, fixtureConfig } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const AT = Date.UTC(2026, 0, 30, 9, 0);
const REFUSED = { code: 'LIFECYCLE_CANCEL_REFUSED', message: 'would hide 40 of 100 (max_cancel_fraction 0.2)', wouldHide: 40, visible: 100 };

// Run 1 commits changes 1–3 (09:01–09:03), run 2 changes 4–5 (09:04, 09:05) and has its lifecycle pass refused.
// Written once, at top level (a temp dir made in a `before` hook is removed when the hook ends).
const dataDir = await (async () => {
  const dir = await tempDir();
  const scenario = join(dir, 'scenario.json');
  const config = await fixtureConfig('worklist-journal-runner.mjs', [scenario], { restart: { maxAttempts: 1 } });
  const { logger } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  await writeFile(scenario, JSON.stringify({ journals: { j1: { commit: 3 } }, atMs: AT, lifecycle: { dryRun: false, changed: { 'record-deleted': 1, 'instance-deleted': 1, 'date-cleared': 1 }, kept: 1, visible: 100, snapshotRecords: 120 } }));
  assert.equal((await supervisor.triggerTick()).status, 'ok');
  await writeFile(scenario, JSON.stringify({ journals: { j1: { commit: 2 } }, atMs: AT, lifecycle: { dryRun: false, changed: {}, kept: 0, visible: 100, snapshotRecords: 120, refused: REFUSED } }));
  assert.equal((await supervisor.triggerTick()).status, 'ok');
  await supervisor.stop();
  await closeLogger(logger);
  return config.dataDir;
})();

const cli = (argv: string[]) => runCli([...argv, '--data-dir', dataDir], { cwd: dataDir, nowMs: AT + 6 * 60_000 });

test('history worklist: every change, oldest first, with time, row, patient, old → new, reason, record/instance, source and run', async () => {
  const { code, stdout, stderr } = await cli(['worklist']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^at\s+row\s+patient_id\s+status\s+reason\s+record\/instance\s+source\s+run$/);
  assert.equal(lines.length, 2 + 5);
  assert.match(lines[2] ?? '', /^2026-01-30 09:01:00 UTC\s+101\s+sub-0001_A\s+SCHEDULED → CANCELED\s+record-deleted\s+rec-1\s+mri_main\s+1$/);
  assert.match(lines[3] ?? '', /^2026-01-30 09:02:00 UTC\s+102\s+sub-0002_A\s+SCHEDULED → CANCELED\s+instance-deleted\s+rec-2\/3\s+mri_main\s+1$/);
  assert.match(lines[6] ?? '', /^2026-01-30 09:05:00 UTC\s+105\s+sub-0005_A\s+CANCELED → SCHEDULED\s+restored\s+rec-5\s+mri_main\s+2$/);
});

test('history worklist --run, --since, --limit and --json', async () => {
  const run2 = await cli(['worklist', '--run', '2']);
  assert.deepEqual(run2.stdout.trimEnd().split('\n').slice(2).map((l) => l.split(/\s{2,}/)[1]), ['104', '105']);
  const since = await cli(['worklist', '--since', '3m']);
  assert.deepEqual(since.stdout.trimEnd().split('\n').slice(2).map((l) => l.split(/\s{2,}/)[1]), ['103', '104', '105']);
  const limited = await cli(['worklist', '--limit', '2']);
  assert.match(limited.stdout, /105 .*\nshowing the newest 2 of 5; use --limit N, --since or --run to see others\n$/s);
  const json = JSON.parse((await cli(['worklist', '--json', '--run', '1'])).stdout);
  assert.equal(json.total, 3);
  assert.deepEqual(json.changes[1], {
    atMs: AT + 2 * 60_000, rowId: 102, patientId: 'sub-0002_A', fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: 'instance-deleted',
    source: 'mri_main', record: 'rec-2', instance: '3', runId: 1,
  });
  const none = await cli(['worklist', '--run', '9']);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /^no worklist status changes match in .*history\.db\n$/);
  const bad = await cli(['worklist', '--run', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--run expects a positive whole number; got "x"/);
});

test('history run N: the run\'s changes by reason, and its sources\' lifecycle results with a refusal', async () => {
  const run1 = await cli(['run', '1']);
  assert.equal(run1.code, 0, run1.stderr);
  assert.match(run1.stdout, /\n {2}worklist {6}3 status changes: record-deleted 1, instance-deleted 1, date-cleared 1 \(`history worklist --run 1` lists them\)\n/);
  assert.match(run1.stdout, /\n {6}lifecycle: changed record-deleted 1, instance-deleted 1, date-cleared 1, kept 1, visible 100, snapshot 120 records\n/);
  const run2 = await cli(['run', '2']);
  assert.match(run2.stdout, /\n {2}worklist {6}2 status changes: expired 1, restored 1 /);
  assert.match(run2.stdout, /lifecycle: changed none, kept 0, visible 100, snapshot 120 records; REFUSED LIFECYCLE_CANCEL_REFUSED, would hide 40 of 100 visible rows: would hide 40 of 100 \(max_cancel_fraction 0\.2\)\n/);
  assert.match(run2.stdout, /alert .* critical worklist-cancel-refused: worklist cancel refused for source mri_main/);
  const json = JSON.parse((await cli(['run', '2', '--json'])).stdout);
  assert.deepEqual(json.worklistChanges, { expired: 1, restored: 1 });
});

test('a copy from before schema 4 reads as holding no changes, and is never migrated by the CLI', async () => {
  const dir = await tempDir();
  const path = join(dir, 'old.db');
  const db = await Database.open(path);
  await db.exec(`${MIGRATIONS.slice(0, 3).join(';\n')}; PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = 3;`);
  await db.run(`INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, ended_at_ms, status) VALUES (?, 1, 'node x', ?, ?, 'ok')`, [AT, AT, AT + 1000]);
  await db.close();
  const list = await runCli(['worklist', '--db', path], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^no worklist status changes recorded \(this history\.db predates schema 4, which added them\) in /);
  const run = await runCli(['run', '1', '--db', path], { cwd: dir });
  assert.match(run.stdout, /\n {2}worklist {6}no status changes recorded\n/);
  const check = await Database.open(path, { readonly: true });
  assert.equal((await check.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, 3);
  await check.close();
});
